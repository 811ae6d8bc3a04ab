import { stripAnsi } from '../shared/ansi';
import type { StreamName } from '../shared/protocol';
import { EntryGrouper } from './entries';
import { LevelTagger } from './levels';
import type { NewLine } from './ring';

/**
 * One stream's line tagging: its level (`LevelTagger`) and the entry it belongs to
 * (`EntryGrouper`), from one ANSI-free copy of the text. One per stream: both are stateful.
 */
export class LineTagger {
  private readonly levels = new LevelTagger();
  private readonly entries = new EntryGrouper();

  /** The line as the ring takes it; `seq` is the one the ring will give it. */
  line(text: string, ts: string, stream: StreamName, seq: number): NewLine {
    const plain = withoutComposePrefix(stripAnsi(text));
    const level = this.levels.tagPlain(plain);
    const entrySeq = this.entries.next(plain, level, seq);
    return entrySeq === undefined ? { ts, level, stream, text } : { ts, level, stream, text, entrySeq };
  }
}

// `docker compose up` and `docker compose logs`: `web-1  | INFO:     …` (v1: `web_1  | `). The
// level and the entry are the service's line's. The shape (a name ending in `-1` or `_1`, spaces,
// `| `) is Compose's own: no other tool's line starts so.
/** The line without Docker Compose's service prefix. */
export function withoutComposePrefix(plain: string): string {
  let i = 0;
  for (let c = plain.charCodeAt(0); isNameChar(c); c = plain.charCodeAt(++i));
  const last = plain.charCodeAt(i - 1);
  if (i < 3 || last < 48 || last > 57 || plain.charCodeAt(i) !== 32) return plain;
  const digits = i;
  let d = i - 1;
  while (d > 0 && plain.charCodeAt(d - 1) >= 48 && plain.charCodeAt(d - 1) <= 57) d--;
  const sep = plain.charCodeAt(d - 1);
  if (d < 2 || (sep !== 45 /* - */ && sep !== 95) /* _ */) return plain;
  while (plain.charCodeAt(i) === 32) i++;
  if (plain.charCodeAt(i) !== 124 /* | */ || i - digits > 40) return plain;
  return plain.charCodeAt(i + 1) === 32 ? plain.slice(i + 2) : plain.slice(i + 1);
}

/** Characters of a Compose service and replica name: letters, digits, `_`, `.`, `-`. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}
