// A panel whose page never came up (blank after a move in web VS Code) is loaded again; a page that
// answers is left alone; a page that never loads is not reloaded forever.
import assert from 'node:assert/strict';
import { PageWatchdog } from '../../src/extension/pageWatchdog';
import { FakeClock } from './helpers/fakeClock';

function watchdog(maxReloads = 3) {
  const clock = new FakeClock();
  const attempts: number[] = [];
  const dog = new PageWatchdog({ clock, timeoutMs: 10_000, maxReloads, reload: (attempt) => attempts.push(attempt) });
  return { clock, dog, reloads: () => attempts.length, attempts };
}

describe('panel page watchdog', () => {
  it('loads a page again when it has not answered 10 s after being loaded or shown', () => {
    const { clock, dog, reloads } = watchdog();
    dog.expect();
    clock.advance(9_999);
    assert.equal(reloads(), 0, 'not before the time is up');
    clock.advance(1);
    assert.equal(reloads(), 1);
    dog.answered(); // the reloaded page said ready
    clock.advance(60_000);
    assert.equal(reloads(), 1, 'an answering page is not reloaded');
  });

  it('leaves a page that answers in time alone, shown again and again', () => {
    const { clock, dog, reloads } = watchdog();
    for (let i = 0; i < 5; i++) {
      dog.expect();
      clock.advance(3_000);
      dog.answered();
    }
    clock.advance(60_000);
    assert.equal(reloads(), 0);
  });

  it('one wait at a time: being shown twice in a row does not move the deadline', () => {
    const { clock, dog, reloads } = watchdog();
    dog.expect();
    clock.advance(6_000);
    dog.expect();
    clock.advance(4_000);
    assert.equal(reloads(), 1, '10 s after the first expect, not the second');
  });

  it('gives up after maxReloads loads that never answered, numbering them (the panel replaces itself on the last), and starts again once the page answers', () => {
    const { clock, dog, attempts } = watchdog(3);
    dog.expect();
    clock.advance(120_000);
    assert.deepEqual(attempts, [1, 2, 3]);
    dog.answered();
    dog.expect();
    clock.advance(10_000);
    assert.deepEqual(attempts, [1, 2, 3, 1], 'counted afresh after an answer');
  });

  it('says when it gives up: once, 10 s after the last load went unanswered', () => {
    const clock = new FakeClock();
    const events: string[] = [];
    const dog = new PageWatchdog({
      clock,
      timeoutMs: 10_000,
      maxReloads: 2,
      reload: (attempt) => events.push(`reload ${attempt}`),
      onGiveUp: () => events.push('gave up'),
    });
    dog.expect();
    clock.advance(29_999);
    assert.deepEqual(events, ['reload 1', 'reload 2']);
    clock.advance(1);
    assert.deepEqual(events, ['reload 1', 'reload 2', 'gave up']);
    dog.expect(); // shown again: the page is still left as it is, and said so again only then
    clock.advance(60_000);
    assert.deepEqual(events, ['reload 1', 'reload 2', 'gave up', 'gave up']);
  });

  it('does nothing once disposed (twice is fine)', () => {
    const { clock, dog, reloads } = watchdog();
    dog.expect();
    dog.dispose();
    dog.dispose();
    dog.expect();
    clock.advance(60_000);
    assert.equal(reloads(), 0);
  });
});
