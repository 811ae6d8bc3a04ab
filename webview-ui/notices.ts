/** What the page tells the reader besides the rows: spoken notes, a short visual note, the dropped-lines banner. */
import { h, setText } from './dom';
import { formatCount } from './format';

const FLASH_MS = 1800;

/** The live region, the flash note and the banner. */
export class Notices {
  readonly liveRegion = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  /** A short visual note over the log (copy done, nothing to jump to); the live region speaks it. */
  readonly flashNote = h('div', { class: 'flash', 'aria-hidden': 'true', hidden: true });
  readonly banner = h('div', { class: 'banner', hidden: true });
  private flashTimer: ReturnType<typeof setTimeout> | undefined;

  /** Says `text` to screen readers. */
  announce(text: string): void {
    // Cleared first so that the same words are announced again.
    this.liveRegion.textContent = '';
    setTimeout(() => (this.liveRegion.textContent = text), 30);
  }

  /** Shows `text` over the log for a moment, and says it. */
  flash(text: string): void {
    this.flashNote.textContent = text;
    this.flashNote.hidden = false;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => (this.flashNote.hidden = true), FLASH_MS);
    this.announce(text);
  }

  /**
   * Says how many lines left the view to stay within `capacity` (hidden when none), and whether
   * scrolling to the top brings them back from history.
   */
  showDropped(dropped: number, capacity: number, scrollBack = false): void {
    this.banner.hidden = dropped === 0;
    if (dropped > 0) {
      setText(
        this.banner,
        `${formatCount(dropped)} older ${dropped === 1 ? 'line' : 'lines'} dropped from view to stay within ${formatCount(capacity)} ` +
          (scrollBack ? '(scroll to the top to load them from history)' : '(still in history)'),
      );
    }
  }
}
