import type { RunSummary } from '../shared/historyApi';
import type { PreviewInfo } from '../shared/protocol';
import type { TerminalConfig } from '../shared/webviewProtocol';
import type { PanelTarget } from './panel';

/**
 * What the logs panel needs to show a past run of the history (Show Log History): no stream, the
 * run's lines paged from `/api/runs/:id/logs`, read-only, with the same filter, search and entries
 * as a live run.
 */
export function pastRunTarget(run: RunSummary, streamRoot: string, token: string): { target: PanelTarget; title: string } {
  const title = `${run.previewName} · ${new Date(run.startedAt).toLocaleString()}`;
  const config: TerminalConfig = {
    streamUrl: '',
    runsUrl: `${streamRoot}api/runs`,
    runId: run.id,
    token,
    previewId: `run-${run.id}`,
    mode: 'vscode',
    title: run.command.join(' '),
  };
  const info: PreviewInfo = {
    id: `run-${run.id}`,
    name: run.previewName,
    command: run.command,
    displayCommand: run.command.join(' '),
    cwd: run.cwd,
    pid: null,
    port: run.port,
    appUrl: null,
    state: run.endedAt ? (run.abnormal ? 'failed' : 'exited') : 'ready',
    exitCode: run.exitCode,
    signal: run.signal,
    reason: run.abnormal ? 'the host ended without ending the run' : null,
    startedAt: run.startedAt,
    lastSeq: run.lineCount,
    runId: run.id,
  };
  return { target: { config, connectOrigin: new URL(streamRoot).origin, info }, title: `History: ${title}` };
}
