import { stripAnsi } from '../shared/ansi';
import type { StreamName } from '../shared/protocol';
import { EntryGrouper } from './entries';
import { LevelTagger, levelOf } from './levels';
import { MuxPrefixes } from '../shared/muxPrefix';
import type { NewLine } from './ring';

/** A multiplexed stream keeps this many processes apart; lines of any more share one state. */
const MAX_SOURCES = 32;

/** The state one process's lines need: the traceback a level is in, the entry a line may continue. */
interface Source {
  levels: LevelTagger;
  entries: EntryGrouper;
}

const newSource = (): Source => ({ levels: new LevelTagger(), entries: new EntryGrouper() });

/**
 * One stream's line tagging: its level (`LevelTagger`) and the entry it belongs to
 * (`EntryGrouper`), from one ANSI-free copy of the text. One per stream: both are stateful.
 *
 * A stream a multiplexer writes (concurrently, turbo, pnpm, Compose…: see muxPrefix.ts) interleaves
 * several processes' lines: each line is read without its prefix, with its own process's state, so
 * a traceback is followed through another process's lines. An entry's lines stay contiguous: a line
 * that continues its process's entry after another process's line heads an entry of its own.
 */
export class LineTagger {
  private readonly prefixes = new MuxPrefixes();
  private readonly own = newSource();
  private readonly sources = new Map<string, Source>();
  private last: Source | undefined;

  /**
   * Tags a read's lines, which the ring will number from `firstSeq`. The preview and the warm-up
   * both build their batches here, so V8 compiles the ring for the array this makes.
   */
  lines(texts: readonly string[], ts: string, stream: StreamName, firstSeq: number): NewLine[] {
    const batch: NewLine[] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) batch[i] = this.line(texts[i], ts, stream, firstSeq + i);
    return batch;
  }

  /** The line as the ring takes it; `seq` is the one the ring will give it. */
  line(text: string, ts: string, stream: StreamName, seq: number): NewLine {
    const whole = stripAnsi(text);
    let plain = whole;
    // A line without a prefix goes on with the process before it: a frame an app printed without its tag.
    let source = this.last ?? this.own;
    const split = this.prefixes.split(plain);
    if (split !== undefined) {
      plain = plain.slice(split.length);
      source = this.sourceOf(split.name);
    }
    let level = source.levels.tagPlain(plain);
    // A tool's own tag taken for a process's name must not hide the row that reads the whole line
    // (Gin's `[GIN] … | 404 |` after its `[GIN-debug]` lines).
    if (split !== undefined && level === 'INFO') level = levelOf(whole) ?? level;
    let entrySeq = source.entries.next(plain, level, seq);
    if (entrySeq !== undefined && source !== this.last) {
      source.entries.restartAt(seq);
      entrySeq = undefined;
    }
    this.last = source;
    return entrySeq === undefined ? { ts, level, stream, text } : { ts, level, stream, text, entrySeq };
  }

  private sourceOf(name: string): Source {
    let source = this.sources.get(name);
    if (source === undefined) {
      if (this.sources.size >= MAX_SOURCES) return this.own;
      this.sources.set(name, (source = newSource()));
    }
    return source;
  }
}
