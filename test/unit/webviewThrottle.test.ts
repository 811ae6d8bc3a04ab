import assert from 'node:assert/strict';
import { Throttle } from '../../webview-ui/throttle';
import { FakeClock } from './helpers/fakeClock';

const tick = () => new Promise((r) => setImmediate(r));

describe('webview Throttle (header refreshes)', () => {
  it('runs the first ask at once and folds asks within the interval into one run after it', async () => {
    const clock = new FakeClock();
    let runs = 0;
    const t = new Throttle(() => void runs++, 1000, clock);
    t.request();
    assert.equal(runs, 1);
    await tick();
    t.request();
    t.request();
    clock.advance(999);
    assert.equal(runs, 1);
    clock.advance(1);
    assert.equal(runs, 2);
    await tick();
    clock.advance(5000);
    assert.equal(runs, 2, 'no ask, no run');
    t.request();
    assert.equal(runs, 3, 'an ask after a quiet interval runs at once');
  });

  it('never runs two at once: an ask during a slow run makes one more run when it ends', async () => {
    const clock = new FakeClock();
    const finishers: (() => void)[] = [];
    const t = new Throttle(() => new Promise<void>((r) => finishers.push(r)), 100, clock);
    t.request();
    clock.advance(500);
    t.request();
    t.request();
    assert.equal(finishers.length, 1, 'still running');
    finishers[0]!();
    await tick();
    assert.equal(finishers.length, 2);
    finishers[1]!();
    await tick();
    clock.advance(1000);
    assert.equal(finishers.length, 2);
  });

  it('keeps going after a failed run, and does nothing once disposed', async () => {
    const clock = new FakeClock();
    let runs = 0;
    const t = new Throttle(
      async () => {
        runs++;
        throw new Error('host gone');
      },
      100,
      clock,
    );
    t.request();
    await tick();
    clock.advance(100);
    t.request();
    assert.equal(runs, 2);
    t.request();
    await tick();
    t.dispose();
    clock.advance(1000);
    t.request();
    assert.equal(runs, 2);
  });

  it('asks a function for the interval before each wait', async () => {
    const clock = new FakeClock();
    let runs = 0;
    let interval = 100;
    const t = new Throttle(
      () => void runs++,
      () => interval,
      clock,
    );
    t.request();
    await tick();
    interval = 5000;
    t.request();
    clock.advance(4999);
    assert.equal(runs, 1);
    clock.advance(1);
    assert.equal(runs, 2);
  });
});
