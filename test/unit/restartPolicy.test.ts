// Crash loops (issue 12, acceptance 4): the restart policy's decisions on given times.
import assert from 'node:assert/strict';
import { describeExit, isFailedExit, parseRestartMode, RestartPolicy, type RestartDecision } from '../../src/host/restartPolicy';

const S = 1000;

/** Runs that each stay up `upMs` and fail; returns each decision, in order, until one gives up (or `max`). */
function crashEvery(policy: RestartPolicy, upMs: number, max = 20): RestartDecision[] {
  const decisions: RestartDecision[] = [];
  let now = 0;
  policy.started(now);
  while (decisions.length < max) {
    now += upMs;
    const d = policy.failed(now, 'exit code 1');
    decisions.push(d);
    if (!d.restart) break;
    now += d.delayMs;
    policy.started(now);
  }
  return decisions;
}

describe('RestartPolicy', () => {
  it('backs off 1, 2, 4, 8 s and calls the 5th failure within 2 minutes a crash loop, naming it and the last exit', () => {
    const decisions = crashEvery(new RestartPolicy(), 100);
    assert.deepEqual(decisions, [
      { restart: true, attempt: 1, delayMs: 1 * S },
      { restart: true, attempt: 2, delayMs: 2 * S },
      { restart: true, attempt: 3, delayMs: 4 * S },
      { restart: true, attempt: 4, delayMs: 8 * S },
      { restart: false, reason: 'crashed 5 times in 2 minutes (last: exit code 1); not restarting' },
    ]);
  });

  it('doubles up to 30 s and no further while the failures are too far apart to be a loop', () => {
    // Up 50 s each (under the 60 s reset): five failures span over 2 minutes, so it keeps trying.
    const delays = crashEvery(new RestartPolicy(), 50 * S, 8).map((d) => (d.restart ? d.delayMs / S : d.reason));
    assert.deepEqual(delays, [1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it('starts the backoff over after a run that stayed up 60 s', () => {
    const policy = new RestartPolicy();
    policy.started(0);
    assert.deepEqual(policy.failed(100, 'x'), { restart: true, attempt: 1, delayMs: 1 * S });
    policy.started(1100);
    assert.deepEqual(policy.failed(1200, 'x'), { restart: true, attempt: 2, delayMs: 2 * S });
    policy.started(3200);
    assert.deepEqual(policy.failed(3200 + 60 * S - 1, 'x'), { restart: true, attempt: 3, delayMs: 4 * S }, 'up 1 ms short of 60 s');
    policy.started(70 * S);
    assert.deepEqual(policy.failed(130 * S, 'x'), { restart: true, attempt: 1, delayMs: 1 * S }, 'up 60 s');
  });

  it('counts only the failures of the last 2 minutes toward a crash loop', () => {
    const policy = new RestartPolicy();
    // Four quick failures, then one after a run up 2 minutes: the first ones fell out of the window.
    for (const at of [0, 2, 5, 10]) {
      policy.started(at * S);
      assert.equal(policy.failed(at * S + 1, 'x').restart, true);
    }
    policy.started(11 * S);
    assert.deepEqual(policy.failed(131 * S, 'x'), { restart: true, attempt: 1, delayMs: 1 * S });
    for (const at of [133, 136, 141]) {
      policy.started(at * S);
      assert.equal(policy.failed(at * S + 1, 'x').restart, true, `failure at ${at} s`);
    }
    policy.started(150 * S);
    const fifth = policy.failed(150 * S + 1, 'signal SIGSEGV');
    assert.deepEqual(fifth, { restart: false, reason: 'crashed 5 times in 2 minutes (last: signal SIGSEGV); not restarting' });
  });

  it('takes other limits (short delays for tests) and names the window they set', () => {
    const policy = new RestartPolicy({ baseDelayMs: 50, maxDelayMs: 120, maxFailures: 3, failureWindowMs: 90 * S });
    assert.deepEqual(
      crashEvery(policy, 10).map((d) => (d.restart ? d.delayMs : d.reason)),
      [50, 100, 'crashed 3 times in 90 s (last: exit code 1); not restarting'],
    );
    assert.deepEqual(
      crashEvery(new RestartPolicy({ baseDelayMs: 50, maxDelayMs: 120, maxFailures: 9 }), 10, 4).map((d) => d.restart && d.delayMs),
      [50, 100, 120, 120],
    );
  });

  it('rejects a limit that is not a number, naming it', () => {
    assert.throws(() => new RestartPolicy({ baseDelayMs: -1 }), /invalid restart limit baseDelayMs: -1/);
    assert.throws(() => new RestartPolicy({ maxFailures: 0 }), /invalid restart limit maxFailures: 0 \(expected a number ≥ 1\)/);
    assert.throws(() => new RestartPolicy({ failureWindowMs: NaN }), /failureWindowMs: NaN/);
  });
});

describe('which exits are failures', () => {
  const table: [number | null, string | null, boolean, boolean, string][] = [
    [1, null, false, true, 'a non-zero exit'],
    [137, null, false, true, 'a shell reporting a kill as 128+9'],
    [0, null, false, false, 'a clean exit'],
    [null, 'SIGSEGV', false, true, 'a signal the host did not send'],
    [null, 'SIGTERM', true, false, 'the SIGTERM of a Stop'],
    [1, null, true, false, 'any exit after a Stop'],
    [null, null, false, false, 'no process (it never started)'],
  ];
  for (const [exitCode, signal, stopRequested, failed, what] of table) {
    it(`${what}: ${failed ? 'restarted' : 'not restarted'}`, () => {
      assert.equal(isFailedExit(exitCode, signal, stopRequested), failed);
    });
  }

  it('describes an exit by its code or its signal', () => {
    assert.equal(describeExit(3, null), 'exit code 3');
    assert.equal(describeExit(null, 'SIGKILL'), 'signal SIGKILL');
  });

  it('knows the two modes and nothing else', () => {
    assert.equal(parseRestartMode('never'), 'never');
    assert.equal(parseRestartMode('on-failure'), 'on-failure');
    for (const bad of ['always', 'On-Failure', '', undefined, 1]) assert.equal(parseRestartMode(bad), undefined, String(bad));
  });
});
