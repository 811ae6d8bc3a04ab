import assert from 'node:assert/strict';
import { describeState, formatCount, formatDuration, formatTime, isRunning } from '../../webview-ui/format';

describe('webview header formatting', () => {
  it('describes every state in words', () => {
    assert.equal(describeState({ state: 'starting' }), 'Starting…');
    assert.equal(describeState({ state: 'ready' }), 'Ready');
    assert.equal(describeState({ state: 'exited', exitCode: 1 }), 'Exited with code 1');
    assert.equal(describeState({ state: 'exited', exitCode: 0 }), 'Exited with code 0');
    assert.equal(describeState({ state: 'exited', exitCode: null, signal: 'SIGKILL' }), 'Exited (SIGKILL)');
    assert.equal(describeState({ state: 'stopped' }), 'Stopped');
    assert.equal(describeState({ state: 'failed', reason: 'port 8000 in use' }), 'Failed: port 8000 in use');
    assert.equal(isRunning('ready'), true);
    assert.equal(isRunning('exited'), false);
  });

  it('says a crash is being restarted, after what and when; and the reason of a crash loop as the failure', () => {
    assert.equal(
      describeState({ state: 'restarting', exitCode: 1, signal: null, attempt: 2, delayMs: 2000 }),
      'Crashed (exit code 1); restarting in 2 s (attempt 2)…',
    );
    assert.equal(
      describeState({ state: 'restarting', exitCode: null, signal: 'SIGSEGV', attempt: 1, delayMs: 50 }),
      'Crashed (signal SIGSEGV); restarting in 0.05 s (attempt 1)…',
    );
    assert.equal(describeState({ state: 'restarting' }), 'Restarting…');
    assert.equal(
      describeState({ state: 'failed', reason: 'crashed 5 times in 2 minutes (last: exit code 1: Error: boom); not restarting' }),
      'Failed: crashed 5 times in 2 minutes (last: exit code 1: Error: boom); not restarting',
    );
    assert.equal(isRunning('restarting'), true, 'the preview goes on by itself: its uptime keeps counting');
  });

  it('formats durations, counts and times', () => {
    assert.deepEqual([0, 42_000, 185_000, 7_380_000, 100_800_000].map(formatDuration), ['0s', '42s', '3m 05s', '2h 03m', '1d 04h']);
    assert.deepEqual([0, 999, 1000, 1234567].map(formatCount), ['0', '999', '1,000', '1,234,567']);
    assert.match(formatTime('2026-01-01T12:34:56.789Z'), /^\d\d:\d\d:56\.789$/);
    assert.equal(formatTime('not a time'), '');
  });
});
