import path from 'node:path';
import { PreviewManager, type PreviewManagerOptions } from '../../../src/host/previewManager';
import type { Preview, PreviewSpec } from '../../../src/host/preview';
import { StreamServer, type StreamServerOptions } from '../../../src/host/streamServer';
import { withDeadline } from './wait';

export const EMIT_LINES = path.resolve(__dirname, '../../fixtures/emit-lines.mjs');

/** A manager + stream server pair, disposed together. */
export async function startHost(
  managerOptions: PreviewManagerOptions = {},
  serverOptions: Partial<StreamServerOptions> = {},
): Promise<{ manager: PreviewManager; server: StreamServer; dispose: () => Promise<void> }> {
  const manager = new PreviewManager(managerOptions);
  const server = await StreamServer.listen({ manager, ...serverOptions });
  return {
    manager,
    server,
    dispose: async () => {
      await manager.stopAll();
      server.dispose();
      manager.dispose();
    },
  };
}

/** A preview that prints `count` numbered lines (at `rate` per second, 0 = flat out) and stays up. */
export function emitterSpec(count: number, rate = 0, extra: Partial<PreviewSpec> = {}): PreviewSpec {
  return {
    command: [process.execPath, EMIT_LINES, String(count), String(rate), '--stay'],
    cwd: process.cwd(),
    ready: { kind: 'none' },
    graceMs: 1000,
    ...extra,
  };
}

/** Resolves once the preview's ring has `seq` lines. */
export function untilLines(preview: Preview, seq: number, timeoutMs = 60_000): Promise<void> {
  if (preview.ring.lastSeq >= seq) return Promise.resolve();
  let sub: { dispose(): void } | undefined;
  const reached = new Promise<void>((resolve) => {
    sub = preview.ring.onDidAppend(() => preview.ring.lastSeq >= seq && resolve());
  });
  return withDeadline(reached, timeoutMs, () => `only ${preview.ring.lastSeq} of ${seq} lines after ${timeoutMs} ms`).finally(() =>
    sub?.dispose(),
  );
}
