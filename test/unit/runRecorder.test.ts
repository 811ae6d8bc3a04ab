import * as assert from 'node:assert/strict';
import type { LineQuery, RunHistory, RunStart } from '../../src/host/history';
import { RunRecorder } from '../../src/host/runRecorder';
import type { LogLine } from '../../src/shared/protocol';

const START: RunStart = {
  previewName: 'web',
  command: ['npm', 'run', 'dev'],
  cwd: '/srv/app',
  port: 5173,
  startedAt: '2026-12-02T10:00:00.000Z',
};
const line = (seq: number): LogLine => ({ seq, ts: START.startedAt, level: 'INFO', stream: 'stdout', text: `line ${seq}` });

/** A history that keeps lines in memory and makes each run only when `makeRun` is called. */
class SlowHistory {
  private readonly lines = new Map<number, LogLine[]>();
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;

  beginRun(): Promise<number> {
    return new Promise((resolve) => {
      this.waiting.push(() => {
        const id = this.nextId++;
        this.lines.set(id, []);
        resolve(id);
      });
    });
  }
  makeRun(): void {
    this.waiting.shift()!();
  }
  append(runId: number, lines: readonly LogLine[]): boolean {
    this.lines.get(runId)!.push(...lines);
    return true;
  }
  readLines(runId: number, query: LineQuery): Promise<LogLine[]> {
    const after = query.after ?? 0;
    return Promise.resolve(
      this.lines
        .get(runId)!
        .filter((l) => l.seq > after)
        .slice(0, query.limit),
    );
  }
}

describe('RunRecorder', () => {
  it('a read while the store is still making the run waits for it, and returns the lines read before', async () => {
    const history = new SlowHistory();
    const recorder = new RunRecorder({ history: history as unknown as RunHistory, hold: () => {}, now: () => START.startedAt });
    recorder.begin(START);
    recorder.append([line(1), line(2), line(3)]);
    const read = recorder.readLines({ after: 1, limit: 10 });
    let settled = false;
    void read.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'answered before the store had the run');
    history.makeRun();
    assert.deepEqual(
      (await read).map((l) => l.seq),
      [2, 3],
    );
    assert.equal(recorder.runId, 1);
  });

  it('a run the store could not make is skipped: its lines are not in history, and the read does not hang', async () => {
    const history = new SlowHistory();
    history.beginRun = () => Promise.reject(new Error('disk full'));
    const recorder = new RunRecorder({ history: history as unknown as RunHistory, hold: () => {}, now: () => START.startedAt });
    recorder.begin(START);
    recorder.append([line(1)]);
    assert.deepEqual(await recorder.readLines({ after: 0, limit: 10 }), []);
  });
});
