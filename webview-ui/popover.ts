/** Places a popover (absolute, in the page's root) under the button that opened it, inside the page. */
export function placeUnder(popover: HTMLElement, anchor: HTMLElement, maxWidth: number, align: 'left' | 'right' = 'left'): void {
  const root = popover.offsetParent as HTMLElement | null;
  if (!root) return;
  const a = anchor.getBoundingClientRect();
  const r = root.getBoundingClientRect();
  const width = Math.min(maxWidth, r.width - 16);
  const wanted = align === 'left' ? a.left - r.left : a.right - r.left - width;
  popover.style.width = `${width}px`;
  popover.style.top = `${a.bottom - r.top + 4}px`;
  popover.style.left = `${Math.max(8, Math.min(wanted, r.width - width - 8))}px`;
}
