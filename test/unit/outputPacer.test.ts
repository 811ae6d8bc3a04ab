import assert from 'node:assert/strict';
import { OutputPacer } from '../../src/host/outputPacer';
import type { StreamName } from '../../src/shared/protocol';

/** A pacer on a hand-driven clock: each delivered slice "takes" `costMs`; `turn()` runs the deferred work. */
function harness(options: { budgetMs?: number; sliceLines?: number; costMs?: number } = {}) {
  let now = 0;
  let deferred: (() => void)[] = [];
  const events: string[] = [];
  const delivered: { stream: StreamName; texts: string[] }[] = [];
  const pacer = new OutputPacer({
    deliver: (stream, texts) => {
      delivered.push({ stream, texts });
      events.push(`deliver ${texts.length}`);
      now += options.costMs ?? 1;
    },
    pause: () => events.push('pause'),
    resume: () => events.push('resume'),
    budgetMs: options.budgetMs ?? 2,
    sliceLines: options.sliceLines ?? 10,
    now: () => now,
    defer: (fn) => deferred.push(fn),
  });
  const turn = () => {
    const fns = deferred;
    deferred = [];
    events.push('turn');
    fns.forEach((fn) => fn());
  };
  const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
  const texts = () => delivered.flatMap((d) => d.texts.map((t) => `${d.stream}:${t}`));
  return { pacer, events, delivered, turn, lines, texts, pendingTurns: () => deferred.length };
}

describe('OutputPacer', () => {
  it('delivers a small read at once and never pauses the pipes', () => {
    const h = harness();
    h.pacer.push('stdout', h.lines('a', 5));
    assert.deepEqual(h.events, ['deliver 5']);
    h.turn();
    assert.deepEqual(h.events, ['deliver 5', 'turn']);
    assert.equal(h.pendingTurns(), 0, 'an idle pacer schedules nothing');
  });

  it('stops a turn at its budget, pauses the pipes, and goes on next turn until the queue is empty', () => {
    const h = harness({ budgetMs: 2, sliceLines: 10, costMs: 1 });
    h.pacer.push('stdout', h.lines('a', 45));
    // 0 ms, 1 ms, 2 ms: three slices fit in a 2 ms budget; the 4th would start past it.
    assert.deepEqual(h.events, ['deliver 10', 'deliver 10', 'deliver 10', 'pause']);
    assert.equal(h.pacer.pending, 15);
    h.turn();
    assert.deepEqual(h.events.slice(4), ['turn', 'deliver 10', 'deliver 5', 'resume']);
    assert.equal(h.pacer.pending, 0);
    assert.deepEqual(
      h.texts(),
      h.lines('a', 45).map((t) => `stdout:${t}`),
    );
  });

  it('keeps arrival order across stdout and stderr, also for reads that come in while paused', () => {
    const h = harness({ budgetMs: 0, sliceLines: 4 });
    h.pacer.push('stdout', h.lines('o', 6));
    h.pacer.push('stderr', h.lines('e', 3)); // a read already under way when the pipes were paused
    h.pacer.push('stdout', h.lines('p', 2));
    for (let i = 0; i < 10 && h.pacer.pending > 0; i++) h.turn();
    assert.deepEqual(h.texts(), [
      ...h.lines('o', 6).map((t) => `stdout:${t}`),
      ...h.lines('e', 3).map((t) => `stderr:${t}`),
      ...h.lines('p', 2).map((t) => `stdout:${t}`),
    ]);
    assert.equal(h.events.filter((e) => e === 'pause').length, 1);
    assert.equal(h.events.at(-1), 'resume');
  });

  it('flush delivers everything left at once, in order', () => {
    const h = harness({ budgetMs: 0, sliceLines: 3 });
    h.pacer.push('stdout', h.lines('a', 10));
    h.pacer.push('stderr', h.lines('b', 2));
    h.pacer.flush();
    assert.equal(h.pacer.pending, 0);
    assert.deepEqual(h.texts(), [...h.lines('a', 10).map((t) => `stdout:${t}`), ...h.lines('b', 2).map((t) => `stderr:${t}`)]);
  });

  it('hold keeps the pipes paused with an empty queue until released', () => {
    const h = harness();
    h.pacer.hold(true);
    assert.deepEqual(h.events, ['pause']);
    h.pacer.push('stdout', h.lines('a', 3));
    h.turn();
    assert.deepEqual(h.events, ['pause', 'deliver 3', 'turn'], 'lines already read are still delivered');
    h.pacer.hold(false);
    assert.deepEqual(h.events.at(-1), 'resume');
  });

  it('after dispose delivers nothing and does not touch the pipes', () => {
    const h = harness({ budgetMs: 0, sliceLines: 2 });
    h.pacer.push('stdout', h.lines('a', 10));
    const before = h.events.length;
    h.pacer.dispose();
    h.pacer.dispose();
    h.turn();
    h.pacer.push('stdout', h.lines('b', 1));
    assert.deepEqual(h.events.slice(before), ['turn']);
  });
});
