import assert from 'node:assert/strict';
import { Preview } from '../../src/host/preview';

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
});
