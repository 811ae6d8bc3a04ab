/**
 * One row's DOM from its entry. Log text only ever reaches the DOM through `textContent` or text
 * nodes; link targets go through `href` (http/https only) or a WeakMap, never through markup.
 */
import type { Entry, LogEntry } from './lineStore';
import type { Link } from './links';
import type { RowDecor } from './rowDecor';
import { buildPieces, type Piece } from './rowModel';
import { formatCount, formatTime } from './format';
import { rawToggle, renderStructured, structuredOf } from './structuredRow';

const THEME_COLOUR = 'var(--ph-ansi-';

export interface RowContext {
  /** Lower-cased search query, or ''. */
  query: string;
  /** Render `file:line` locations as links (VS Code only). */
  locations: boolean;
  /** URLs open through `target=_blank` anchors (browser) or a message (VS Code). */
  mode: 'vscode' | 'browser';
  isSelected(abs: number): boolean;
  currentMatchAbs: number;
  /** Where each link element's target is kept, for the click handler. */
  links: WeakMap<Element, Link>;
  /** The row's place in an entry and its level mark; a line alone when absent. */
  decorate?(abs: number, entry: LogEntry): RowDecor;
  /** Whether a structured line at `abs` is shown raw (its `{}` button was pressed). */
  showRaw?(abs: number): boolean;
}

export function renderRow(el: HTMLElement, entry: Entry | undefined, abs: number, ctx: RowContext): void {
  if (!entry) {
    el.className = 'row';
    el.replaceChildren();
    return;
  }
  let cls = 'row';
  if (ctx.isSelected(abs)) cls += ' selected';
  if (abs === ctx.currentMatchAbs) cls += ' current-match';

  if (entry.kind === 'gap') {
    el.className = `${cls} gap`;
    const time = document.createElement('span');
    time.className = 'time';
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = 'GAP';
    const text = document.createElement('span');
    text.className = 'msg gap-text';
    text.textContent = `⋯ ${formatCount(entry.count)} ${entry.count === 1 ? 'line' : 'lines'} not available (${formatCount(entry.from)}–${formatCount(entry.to)})`;
    const gutter = document.createElement('span');
    gutter.className = 'gutter';
    el.replaceChildren(time, badge, gutter, text);
    return;
  }

  const decor: RowDecor = ctx.decorate?.(abs, entry) ?? { role: 'single', level: entry.level, mark: 'word' };
  cls += ` lv-${decor.level} ${decor.role === 'single' ? 'single' : decor.role === 'head' ? 'entry-head' : 'entry-line'}`;
  if (entry.stream === 'stderr') cls += ' stderr';
  if (decor.mark === 'none') cls += ' no-mark';
  if (decor.library) cls += ' lib';
  if (decor.userFrame) cls += ' user-frame';
  if (decor.collapsed) cls += ' collapsed';
  el.className = cls;
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = formatTime(entry.ts);
  const badge = document.createElement('span');
  // The level word only where the line does not already start with it; a dot says the colour.
  badge.className = decor.mark === 'word' ? 'badge' : decor.mark === 'dot' ? 'badge dot' : 'badge none';
  if (decor.mark === 'word') badge.textContent = decor.level;
  else if (decor.mark === 'dot') badge.title = decor.level;
  const gutter = document.createElement('span');
  gutter.className = 'gutter';
  if (decor.role === 'head') gutter.append(entryToggle(!decor.collapsed));
  const msg = document.createElement('span');
  msg.className = 'msg';
  const structured = structuredOf(entry);
  const raw = !structured || (ctx.showRaw?.(abs) ?? false);
  if (raw) {
    const { pieces, truncated } = buildPieces(entry.text, { locations: ctx.locations, query: ctx.query });
    for (const piece of pieces) msg.append(pieceNode(piece, ctx));
    if (truncated > 0) {
      const more = document.createElement('span');
      more.className = 'truncated';
      more.textContent = ` … ${formatCount(truncated)} more characters (copy the line to see them)`;
      msg.append(more);
    }
  } else {
    renderStructured(msg, structured, ctx.query);
  }
  if (structured) msg.prepend(rawToggle(raw));
  if (decor.role === 'head' && decor.collapsed && decor.hidden) {
    const more = document.createElement('span');
    more.className = 'entry-more';
    more.textContent = `⋯ ${formatCount(decor.hidden)} more ${decor.hidden === 1 ? 'line' : 'lines'}`;
    msg.append(more);
  }
  el.replaceChildren(time, badge, gutter, msg);
}

/** The ▸/▾ button on an entry's head. */
function entryToggle(expanded: boolean): HTMLElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'entry-toggle';
  b.textContent = expanded ? '▾' : '▸';
  b.title = expanded ? 'Collapse this entry (←)' : 'Show every line of this entry (→)';
  b.setAttribute('aria-expanded', String(expanded));
  b.setAttribute('aria-label', expanded ? 'Collapse entry' : 'Expand entry');
  return b;
}

function pieceNode(piece: Piece, ctx: RowContext): Node {
  const styled = piece.fg || piece.bg || piece.bold || piece.dim || piece.italic || piece.underline || piece.strike || piece.hidden;
  if (!styled && !piece.link && !piece.match) return document.createTextNode(piece.text);

  let el: HTMLElement;
  const link = piece.link;
  if (link?.kind === 'url') {
    const a = document.createElement('a');
    a.href = link.url; // only http(s): findLinks matches nothing else
    a.className = 'link url';
    if (ctx.mode === 'browser') {
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
    }
    ctx.links.set(a, link);
    el = a;
  } else if (link?.kind === 'location' && ctx.locations) {
    const a = document.createElement('a');
    a.href = '#';
    a.className = 'link location';
    a.title = `Open ${link.file}:${link.line}${link.column ? `:${link.column}` : ''}`;
    ctx.links.set(a, link);
    el = a;
  } else {
    el = document.createElement('span');
  }
  el.textContent = piece.text;
  let cls = el.className;
  if (piece.bold) cls += ' b';
  if (piece.dim) cls += ' dim';
  if (piece.italic) cls += ' i';
  if (piece.underline) cls += ' u';
  if (piece.strike) cls += ' s';
  if (piece.hidden) cls += ' hid';
  if (piece.match) cls += ' match';
  // The 16 theme colours are classes (cheap to style); 256-colour and truecolor values are set
  // through CSSOM, not a style attribute, which the page's CSP allows.
  if (piece.fg) {
    if (piece.fg.startsWith(THEME_COLOUR)) cls += ` fg-${piece.fg.slice(THEME_COLOUR.length, -1)}`;
    else el.style.color = piece.fg;
  }
  if (piece.bg) {
    if (piece.bg.startsWith(THEME_COLOUR)) cls += ` bg-${piece.bg.slice(THEME_COLOUR.length, -1)}`;
    else el.style.backgroundColor = piece.bg;
  }
  el.className = cls.trim();
  return el;
}
