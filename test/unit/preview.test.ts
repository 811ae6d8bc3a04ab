import assert from 'node:assert/strict';
import type { RunHistory } from '../../src/host/history';
import { Preview } from '../../src/host/preview';
import type { LogLine } from '../../src/shared/protocol';
import { fakeSpawn } from './helpers/fakeProcess';

/** A history that takes lines but reports itself full until `drain()`; `held` resolves once asked to wait. */
function slowHistory() {
  const stored: LogLine[] = [];
  let full = false;
  let release: (() => void) | undefined;
  let asked!: () => void;
  const held = new Promise<void>((resolve) => (asked = resolve));
  const history: RunHistory = {
    beginRun: async () => 1,
    append: (_runId, lines) => {
      stored.push(...lines);
      return !full;
    },
    whenDrained: () => {
      asked();
      return full ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    },
    endRun: async () => {},
    readLines: async () => [],
    listRuns: async () => [],
    exportRun: async () => '',
    flush: async () => {},
    dispose: async () => {},
  };
  return {
    history,
    stored,
    held,
    fill: () => (full = true),
    drain: () => {
      full = false;
      release?.();
    },
  };
}

describe('Preview', () => {
  it('is already ended when its final state event fires (exited, stopped, failed to start)', async () => {
    const cases: { command: string[]; stop: boolean; state: string }[] = [
      { command: [process.execPath, '-e', 'process.exit(2)'], stop: false, state: 'exited' },
      { command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], stop: true, state: 'stopped' },
      { command: ['no-such-command-xyz'], stop: false, state: 'failed' },
    ];
    for (const c of cases) {
      const preview = new Preview({ id: '1', spec: { command: c.command, cwd: process.cwd(), ready: { kind: 'none' }, graceMs: 500 } });
      const seen: [string, boolean][] = [];
      preview.onDidChangeState((status) => seen.push([status.state, preview.hasEnded]));
      await preview.start();
      if (c.stop) await preview.stop();
      await preview.exited;
      assert.deepEqual(seen.at(-1), [c.state, true], c.command.join(' '));
      assert.ok(seen.slice(0, -1).every(([, ended]) => !ended));
      preview.dispose();
    }
  });

  it('stops reading the child while history is full, and loses no line once it drains', async () => {
    const slow = slowHistory();
    const fake = fakeSpawn(); // a child the test writes for, so "blocked on a full pipe" is an event
    const preview = new Preview({
      id: '1',
      spec: { command: ['dev-server'], cwd: process.cwd(), ready: { kind: 'none' } },
      history: slow.history,
      ring: { capacity: 200_000, maxBytes: 64 * 1024 * 1024 },
      spawn: fake.spawn,
    });
    try {
      slow.fill();
      await preview.start();
      const child = fake.children[0];
      const writing = (async () => {
        for (let seq = 1; seq <= 100_000; seq += 200) {
          let text = '';
          for (let i = seq; i < seq + 200; i++) text += `line ${i} t=0\n`;
          await child.write(text);
        }
        child.exit(0);
      })();
      await slow.held; // history said "full"
      const held = preview.ring.lastSeq;
      await child.blocked(); // the child's next write waits: nothing reads its pipe any more
      assert.equal(child.stdout.readableFlowing, false, 'the preview stopped reading the child');
      // Only lines already read when history said "full" may still come in (a pipe read or two).
      assert.ok(preview.ring.lastSeq - held < 2000, `read ${preview.ring.lastSeq - held} more lines while held`);
      assert.ok(preview.ring.lastSeq < 100_000, `the child was not held back (${preview.ring.lastSeq} lines read)`);
      assert.ok(!preview.hasEnded, 'the child waits on its full pipe');

      slow.drain();
      await writing;
      await preview.exited;
      assert.equal(preview.ring.lastSeq, 100_000);
      assert.deepEqual(
        slow.stored.map((l) => l.seq),
        Array.from({ length: 100_000 }, (_, i) => i + 1),
      );
      assert.equal(slow.stored[99_999].text.split(' ')[1], '100000');
    } finally {
      preview.dispose();
    }
  });
});
