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
    const plain = stripAnsi(text);
    const level = this.levels.tagPlain(plain);
    const entrySeq = this.entries.next(plain, level, seq);
    return entrySeq === undefined ? { ts, level, stream, text } : { ts, level, stream, text, entrySeq };
  }
}
