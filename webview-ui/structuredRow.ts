/**
 * A structured log line (JSON: pino, bunyan, winston, structlog, Go slog; logfmt) drawn as its
 * time and message first, then its other fields as `key=value` chips, with a `{}` button that
 * shows the raw line. Text only ever goes in through text nodes.
 */
import { parseStructuredLine, type StructuredLine } from '../src/shared/structuredLine';
import type { LogEntry } from './lineStore';
import { findMatches } from './rowModel';

/** Fields shown as chips; more are summed up as "+N". */
const MAX_CHIPS = 12;
const MAX_VALUE_CHARS = 120;

/** The parsed line (cached on the entry), or undefined when it is not a structured line. */
export function structuredOf(entry: LogEntry): StructuredLine | undefined {
  const e = entry;
  if (e.structured === undefined) e.structured = e.plain.length < 20_000 ? (parseStructuredLine(e.plain) ?? null) : null;
  return e.structured ?? undefined;
}

/** Fills `msg` with the structured view of `s`; `lowerQuery` marks search matches. */
export function renderStructured(msg: HTMLElement, s: StructuredLine, lowerQuery: string): void {
  if (s.time) msg.append(span('sl-time', shortTime(s.time), lowerQuery));
  if (s.message !== undefined) msg.append(span('sl-msg', s.message, lowerQuery));
  const fields = s.fields.slice(0, MAX_CHIPS);
  for (const [key, value] of fields) {
    const chip = document.createElement('span');
    chip.className = 'chip';
    chip.append(span('chip-key', `${key}=`, lowerQuery));
    const shown = value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
    chip.append(span('chip-value', shown, lowerQuery));
    chip.title = `${key}=${value}`;
    msg.append(chip);
  }
  if (s.fields.length > MAX_CHIPS) msg.append(span('chip more', `+${s.fields.length - MAX_CHIPS}`, ''));
}

/** The `{}` button that switches a row between the structured view and the raw line. */
export function rawToggle(showingRaw: boolean): HTMLElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'raw-toggle';
  b.textContent = showingRaw ? '≡' : '{}';
  b.title = showingRaw ? 'Show fields' : 'Show the raw line';
  b.setAttribute('aria-label', b.title);
  b.setAttribute('aria-pressed', String(showingRaw));
  return b;
}

/** `2026-01-01T12:00:01.234Z` → `12:00:01.234`; anything else as written. */
function shortTime(time: string): string {
  const m = /T(\d\d:\d\d:\d\d(?:\.\d{1,3})?)/.exec(time);
  return m ? m[1]! : time;
}

function span(cls: string, text: string, lowerQuery: string): HTMLElement {
  const el = document.createElement('span');
  el.className = cls;
  const matches = lowerQuery ? findMatches(text, lowerQuery) : [];
  if (matches.length === 0) {
    el.textContent = text;
    return el;
  }
  let pos = 0;
  for (const [a, b] of matches) {
    if (a > pos) el.append(document.createTextNode(text.slice(pos, a)));
    const m = document.createElement('span');
    m.className = 'match';
    m.textContent = text.slice(a, b);
    el.append(m);
    pos = b;
  }
  if (pos < text.length) el.append(document.createTextNode(text.slice(pos)));
  return el;
}
