import assert from 'node:assert/strict';
import { HIDDEN_GRACE_MS, HiddenPause } from '../../webview-ui/hiddenPause';
import { FakeClock } from './helpers/fakeClock';

/** A HiddenPause over a fake document and host, recording what it does. */
function harness(startHidden = false) {
  const clock = new FakeClock();
  let hidden = startHidden;
  const docListeners = new Set<() => void>();
  const hostListeners = new Set<(visible: boolean) => void>();
  const calls: string[] = [];
  const pause = new HiddenPause({
    clock,
    documentHidden: () => hidden,
    onDocumentVisibility: (l) => (docListeners.add(l), () => docListeners.delete(l)),
    onHostVisibility: (l) => (hostListeners.add(l), () => hostListeners.delete(l)),
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
  });
  return {
    pause,
    clock,
    calls,
    setDocumentHidden(value: boolean) {
      hidden = value;
      docListeners.forEach((l) => l());
    },
    setHostVisible(value: boolean) {
      hostListeners.forEach((l) => l(value));
    },
    listeners: () => docListeners.size + hostListeners.size,
  };
}

describe('webview hidden pause (a page nobody sees drops its stream)', () => {
  it('pauses a tab hidden for the grace period, and resumes it as soon as it is shown', () => {
    const h = harness();
    h.setDocumentHidden(true);
    h.clock.advance(HIDDEN_GRACE_MS - 1);
    assert.deepEqual(h.calls, [], 'still within the grace period');
    h.clock.advance(1);
    assert.deepEqual(h.calls, ['pause']);
    assert.equal(h.pause.isPaused, true);
    h.setDocumentHidden(false);
    assert.deepEqual(h.calls, ['pause', 'resume']);
    assert.equal(h.pause.isPaused, false);
  });

  it('keeps the stream through a quick look at another tab', () => {
    const h = harness();
    h.setDocumentHidden(true);
    h.clock.advance(HIDDEN_GRACE_MS / 2);
    h.setDocumentHidden(false);
    h.clock.advance(HIDDEN_GRACE_MS * 5);
    assert.deepEqual(h.calls, []);
    // Hidden again later: a full grace period again.
    h.setDocumentHidden(true);
    h.clock.advance(HIDDEN_GRACE_MS - 1);
    assert.deepEqual(h.calls, []);
    h.clock.advance(1);
    assert.deepEqual(h.calls, ['pause']);
  });

  it("follows a VS Code panel's visibility from the host, and needs both visible to resume", () => {
    const h = harness();
    h.setHostVisible(false);
    h.clock.advance(HIDDEN_GRACE_MS);
    assert.deepEqual(h.calls, ['pause']);
    h.setDocumentHidden(true); // the window is minimised too
    h.setHostVisible(true);
    assert.deepEqual(h.calls, ['pause'], 'the document is still hidden');
    h.setDocumentHidden(false);
    assert.deepEqual(h.calls, ['pause', 'resume']);
    h.setHostVisible(true); // said again: nothing to do
    assert.deepEqual(h.calls, ['pause', 'resume']);
  });

  it('starts paused in a tab opened in the background, and stops listening when disposed', () => {
    const h = harness(true);
    assert.equal(h.pause.isPaused, true);
    h.clock.advance(HIDDEN_GRACE_MS * 2);
    assert.deepEqual(h.calls, []);
    h.setDocumentHidden(false);
    assert.deepEqual(h.calls, ['resume']);
    h.setDocumentHidden(true);
    h.pause.dispose();
    h.pause.dispose();
    h.clock.advance(HIDDEN_GRACE_MS * 2);
    assert.deepEqual(h.calls, ['resume'], 'no pause after dispose');
    assert.equal(h.listeners(), 0);
  });
});
