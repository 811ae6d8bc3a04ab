import assert from 'node:assert/strict';
import { LineSplitter } from '../../src/host/lineSplitter';
import { PartialLineWatcher, type PartialLineChange } from '../../src/host/partialLines';
import type { StreamName } from '../../src/shared/protocol';
import { FakeClock } from './helpers/fakeClock';

/** A watcher fed by real splitters on a fake clock; `delivered` stands for the pacer handing lines to the ring. */
function harness() {
  const clock = new FakeClock();
  const splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  let queued = false;
  let lastSeq = 0;
  const watcher = new PartialLineWatcher({
    clock,
    pending: (stream) => splitters[stream].pending(),
    hasPending: (stream) => splitters[stream].hasPending(),
    hasQueued: () => queued,
    nextSeq: () => lastSeq + 1,
    delayMs: 250, // the numbers below are written against this delay
  });
  const changes: PartialLineChange[] = [];
  watcher.onDidChange((c) => changes.push(c));
  const write = (stream: StreamName, text: string | Uint8Array, deliver = true): string[] => {
    const lines = splitters[stream].push(typeof text === 'string' ? Buffer.from(text) : text);
    watcher.chunkRead(stream, lines.length);
    if (deliver && lines.length > 0) {
      lastSeq += lines.length;
      watcher.linesDelivered(stream);
    }
    return lines;
  };
  const shown = () => changes.map((c) => (c.partial ? `${c.stream}: ${c.partial.text}` : `${c.stream}: -`));
  return {
    clock,
    watcher,
    changes,
    write,
    shown,
    setQueued: (q: boolean) => (queued = q),
    deliverQueued: (stream: StreamName, n: number) => {
      queued = false;
      lastSeq += n;
      watcher.linesDelivered(stream);
    },
  };
}

describe('PartialLineWatcher', () => {
  it('shows a prompt without newline after 250 ms, not before, with level, seq hint and time', () => {
    const h = harness();
    h.write('stdout', 'starting\nPort 3000 is in use. Use another? (Y/n) ');
    h.clock.advance(249);
    assert.equal(h.changes.length, 0);
    h.clock.advance(1);
    assert.deepEqual(h.shown(), ['stdout: Port 3000 is in use. Use another? (Y/n) ']);
    const partial = h.changes[0].partial!;
    assert.equal(partial.seq, 2);
    assert.equal(partial.level, 'INFO');
    assert.equal(partial.ts, new Date(h.clock.now()).toISOString());
    assert.deepEqual(h.watcher.current(), [partial]);
    h.clock.advance(5000);
    assert.equal(h.changes.length, 1, 'unchanged text is not shown again');
  });

  it('clears the partial when its finished line is delivered, and shows nothing for it', () => {
    const h = harness();
    h.write('stdout', 'Use another? ');
    h.clock.advance(250);
    assert.deepEqual(h.write('stdout', 'y\n'), ['Use another? y']);
    assert.deepEqual(h.shown(), ['stdout: Use another? ', 'stdout: -']);
    assert.deepEqual(h.watcher.current(), []);
    h.clock.advance(1000);
    assert.equal(h.changes.length, 2);
  });

  it('shows nothing for a line finished within 250 ms, however it was cut into chunks', () => {
    const h = harness();
    h.write('stdout', 'GET / ');
    h.clock.advance(100);
    h.write('stdout', '200 ');
    h.clock.advance(100);
    h.write('stdout', 'OK\n');
    h.clock.advance(1000);
    assert.equal(h.changes.length, 0);
  });

  it('starts the wait again when a chunk finishes a line and leaves a new unfinished one', () => {
    const h = harness();
    h.write('stdout', 'a');
    h.clock.advance(200);
    h.write('stdout', '\nb');
    h.clock.advance(200);
    assert.equal(h.changes.length, 0, 'b has waited 200 ms only');
    h.clock.advance(50);
    assert.deepEqual(h.shown(), ['stdout: b']);
  });

  it('updates a progress bar (CR restarts) at most every 250 ms, with its latest text', () => {
    const h = harness();
    for (let i = 1; i <= 20; i++) {
      h.write('stderr', `\r${i * 5}%`);
      h.clock.advance(50);
    }
    assert.deepEqual(h.shown(), ['stderr: 25%', 'stderr: 50%', 'stderr: 75%', 'stderr: 100%']);
    h.write('stderr', '\n');
    assert.deepEqual(h.shown().at(-1), 'stderr: -');
  });

  it('keeps stdout and stderr apart', () => {
    const h = harness();
    h.write('stdout', 'out? ');
    h.clock.advance(100);
    h.write('stderr', 'err? ');
    h.clock.advance(150);
    assert.deepEqual(h.shown(), ['stdout: out? ']);
    h.clock.advance(100);
    assert.deepEqual(h.shown(), ['stdout: out? ', 'stderr: err? ']);
    h.write('stdout', '\n');
    assert.deepEqual(
      h.watcher.current().map((p) => p.text),
      ['err? '],
    );
  });

  it('waits while earlier lines are still queued, so the partial never overtakes them', () => {
    const h = harness();
    h.setQueued(true);
    h.write('stdout', 'line 1\nline 2\nprompt> ', false);
    h.clock.advance(1000);
    assert.equal(h.changes.length, 0);
    h.deliverQueued('stdout', 2);
    assert.equal(h.changes.length, 0, 'delivering earlier lines does not report a partial that was never shown');
    h.clock.advance(50);
    assert.deepEqual(h.shown(), ['stdout: prompt> ']);
    assert.equal(h.changes[0].partial!.seq, 3, 'after the delivered lines');
  });

  it('levels the text by its own words (ANSI escapes ignored for that, kept in the text)', () => {
    const h = harness();
    h.write('stderr', '\x1b[31mERROR: port taken. Retry? ');
    h.clock.advance(250);
    assert.equal(h.changes[0].partial!.level, 'ERROR');
    assert.equal(h.changes[0].partial!.text, '\x1b[31mERROR: port taken. Retry? ', 'ANSI escapes kept');
  });

  it('shows nothing for text that is only an incomplete character or a lone CR', () => {
    const h = harness();
    h.write('stdout', 'a\n\r');
    h.write('stderr', Buffer.from('😀').subarray(0, 3));
    h.clock.advance(1000);
    assert.equal(h.changes.length, 0);
  });

  it('stops its timers on dispose, and dispose is safe twice', () => {
    const h = harness();
    h.write('stdout', 'prompt? ');
    h.watcher.dispose();
    h.watcher.dispose();
    h.clock.advance(1000);
    assert.equal(h.changes.length, 0);
    h.write('stdout', 'more? ');
    h.clock.advance(1000);
    assert.equal(h.changes.length, 0);
  });
});
