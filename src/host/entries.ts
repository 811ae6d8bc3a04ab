/**
 * Entries (issue 11): consecutive lines of one stream that form one event — a Python traceback with
 * the logger line announcing it and its chained tracebacks, a Node or Java stack with its causes, a
 * Go panic or goroutine dump, a Rust panic and backtrace, pretty-printed JSON, an HTML error page
 * dumped to the log. Decided line by line without looking ahead: a head goes out before the lines
 * that continue it arrive, and a line continues an entry only when its own shape (or the state the
 * entry's earlier lines left) says so. Two single error lines in a row are two entries.
 */
import { isRequestLine } from '../shared/accessLog';
import type { LogLevel } from '../shared/protocol';
import { GOROUTINE, NPM_ERROR, isGoTraceLine } from './levelRules';
import {
  TRACEBACK,
  EXCEPTION_GROUP,
  PYTHON_CHAIN,
  LOGURU_FRAME,
  PROCESS_HEAD,
  STACK_FRAME,
  STACK_MORE,
  REQUIRE_STACK,
  REQUIRE_STACK_FILE,
  CODE_FRAME,
  NODE_VERSION,
  CARET,
  JAVA_EXCEPTION,
  VITE_MORE,
  RUSTC_LOCATION,
  RUSTC_MORE,
  GO_FUNCTION,
  PHP_STACK,
  RUBY_FROM,
  RUBY_FRAME,
  RAILS_EXCERPT,
  STACK_TRACE_LINE,
  TRANSFORM_FAILED,
  NODE_EXCEPTION_MESSAGE,
  REACT_LINK,
  DENO_ERROR,
  POSTGRES_MORE,
  POSTGRES_HEAD,
  ANNOUNCE_BRIDGE,
  DJANGO_CHECKS,
  HTML_END,
  WEBPACK_HEAD,
  LOCATION_MORE,
  LOGCAT_HEADER,
  MAX_INTERJECTIONS,
  BARE_URL,
  PYTEST_HEADING,
  ELIXIR_MORE,
  interjects,
  CONSOLA_BADGE,
  CONSOLA_MORE,
  CONSOLA_CAUSE,
  TURBOPACK_ISSUE_HEAD,
  NEXT_SYMBOL_LINE,
  bracketDelta,
  headMode,
  indentOf,
  type Mode,
  EMOJI_WARNING,
} from './entryShapes';

/** An entry stops growing here; the next line starts a new one (a runaway dump stays browsable). */
export const MAX_ENTRY_LINES = 50_000;
// A bracket-balanced block or a page that does not end within this many lines was not one.
const MAX_BLOCK_LINES = 5000;

/**
 * Groups one stream's lines into entries. `next` is told each line in order (ANSI-free, with the
 * level the tagger gave it and its seq) and returns the seq of the entry's first line when the line
 * continues an entry, undefined when it starts one (the protocol's `LogLine.entrySeq`).
 */
export class EntryGrouper {
  private mode: Mode = 'closed';
  private headSeq = 0;
  private headLevel: LogLevel = 'INFO';
  private lines = 0;
  /** Lines since the mode began (preamble, block lengths). */
  private modeLines = 0;
  /** Open brackets of a `json` or `props` block. */
  private depth = 0;
  /** The head may still announce a traceback or a stack: blank lines in between keep it open. */
  private announcing = false;
  private headText = '';
  /** Spaces before the head's text (TAP: its YAML block is indented deeper). */
  private headIndent = 0;
  /** A blank line came since the mode began (webpack: what follows one must be a code frame). */
  private blankSeen = false;
  /** Python: other threads' lines taken into this traceback (see `interjects`). */
  private interjections = 0;
  /** logcat: the head's header, which the message's further lines repeat. */
  private logcatHeader = '';

  next(plain: string, level: LogLevel, seq: number): number | undefined {
    if (this.lines > 0 && this.continues(plain)) {
      this.modeLines++;
      if (++this.lines <= MAX_ENTRY_LINES) return this.headSeq;
      // Too long: this line heads a new entry that goes on in the same mode.
      this.headSeq = seq;
      this.headLevel = level;
      this.lines = 1;
      return undefined;
    }
    this.start(plain, level, seq);
    return undefined;
  }

  /**
   * The line just given continued the entry, but another process's lines came between (a
   * multiplexed stream): it heads an entry of its own, which goes on in the same mode.
   */
  restartAt(seq: number): void {
    this.headSeq = seq;
    this.lines = 1;
  }

  /** Whether the line continues the current entry; moves the mode along when it does. */
  private continues(plain: string): boolean {
    const blank = plain.length === 0;
    const first = plain.charCodeAt(0);
    const indented = first === 32 || first === 9;
    switch (this.mode) {
      case 'single':
        return this.followsSingle(plain);
      case 'python':
        if (blank || indented || LOGURU_FRAME.test(plain)) return true;
        if (interjects(plain) && this.interjections++ < MAX_INTERJECTIONS) return true; // another thread's line
        return this.moveTo('python-end'); // the exception line
      case 'python-end':
      case 'python-group':
        if (blank || (this.mode === 'python-group' && indented)) return true;
        if (this.mode === 'python-end' && DJANGO_CHECKS.test(plain)) return true;
        return PYTHON_CHAIN.test(plain) && this.moveTo('python-chain');
      case 'python-warning':
        return indented && this.moveTo('closed');
      case 'python-chain':
        if (blank || PYTHON_CHAIN.test(plain)) return true;
        if (plain.startsWith(TRACEBACK)) return this.moveTo('python');
        return EXCEPTION_GROUP.test(plain) && this.moveTo('python-group');
      case 'stack':
        if (plain === REQUIRE_STACK) return this.moveTo('require-stack');
        if (
          blank ||
          STACK_MORE.test(plain) ||
          NODE_VERSION.test(plain) ||
          PHP_STACK.test(plain) ||
          RUBY_FROM.test(plain) ||
          RUBY_FRAME.test(plain) ||
          RAILS_EXCERPT.test(plain) ||
          plain.trim().length === 0
        )
          return true;
        return (STACK_FRAME.test(plain) || CODE_FRAME.test(plain)) && this.frame(plain);
      case 'props':
        if (CODE_FRAME.test(plain)) return true; // source shown inside: its braces are code
        // Properties are indented by two (Next.js's ` GET /x 500` by one is the next entry).
        if (!plain.startsWith('  ') && first !== 9 && first !== 125 /* } */ && first !== 93 /* ] */) return false;
        this.depth += bracketDelta(plain);
        if (this.depth <= 0) this.moveTo('stack');
        return true;
      case 'node-preamble':
        if (this.modeLines === 0 || blank || CARET.test(plain)) return this.modeLines < 6;
        if (indented) return false;
        // esbuild's (tsx): its diagnostics follow, as under Vite's head.
        if (TRANSFORM_FAILED.test(plain)) return this.moveTo('vite');
        return this.frame(plain); // the exception line (`… {` when it has properties)
      case 'go':
        if (blank || isGoTraceLine(plain) || GOROUTINE.test(plain)) return true;
        return /^exit status \d+$/.test(plain) && this.moveTo('closed');
      case 'rust-message':
        return this.moveTo('rust');
      case 'rust':
        return indented || plain === 'stack backtrace:' || plain.startsWith('note: ');
      case 'json':
        if (this.modeLines >= MAX_BLOCK_LINES || (!indented && first !== 125 && first !== 93)) return false;
        this.depth += bracketDelta(plain);
        if (this.depth <= 0) this.moveTo('closed');
        return true;
      case 'html':
        if (this.modeLines >= MAX_BLOCK_LINES) return false;
        if (HTML_END.test(plain)) this.moveTo('closed');
        return true;
      case 'require-stack':
        if (REQUIRE_STACK_FILE.test(plain)) return true;
        return STACK_FRAME.test(plain) && this.frame(plain);
      case 'npm':
        return NPM_ERROR.test(plain);
      case 'vite':
        if (this.modeLines >= MAX_BLOCK_LINES) return false;
        // (A docs link, Svelte's; under tsx, Node's `}` closing the error's properties and its version line.)
        return blank || indented || VITE_MORE.test(plain) || BARE_URL.test(plain) || plain === '}' || NODE_VERSION.test(plain);
      case 'indented':
        return indented && !EMOJI_WARNING.test(plain) && this.modeLines < MAX_BLOCK_LINES;
      case 'rustc':
        // A diagnostic's first line under the head is its ` --> file:line:col`; anything else makes
        // the head a plain `error: …` line (winston's `error: Error: boom` with a Node stack under it).
        if (this.modeLines === 0 && this.lines === 1 && !RUSTC_LOCATION.test(plain)) {
          this.mode = 'single';
          return this.followsSingle(plain);
        }
        return blank || RUSTC_MORE.test(plain);
      case 'zap':
        return first === 9 /* \t */ || GO_FUNCTION.test(plain);
      case 'webpack':
        if (blank) return (this.blankSeen = true);
        // (ts-loader's `[tsl] ERROR in /app/a.ts(2,14)` goes on with webpack's `ERROR in /app/a.ts` over it.)
        if (this.modeLines >= MAX_BLOCK_LINES || (WEBPACK_HEAD.test(plain) && (this.blankSeen || !plain.startsWith('[tsl] '))))
          return false;
        return !this.blankSeen || indented || CODE_FRAME.test(plain);
      case 'esbuild':
        return (blank || indented) && this.modeLines < MAX_BLOCK_LINES;
      case 'turbopack':
        if (BARE_URL.test(plain)) return this.moveTo('closed'); // its docs link
        if (this.modeLines >= 60 || TURBOPACK_ISSUE_HEAD.test(plain) || NEXT_SYMBOL_LINE.test(plain)) return false;
        if (blank) return ++this.depth > 0; // blank lines in a row
        if (this.depth >= 2) return false; // after two, only its docs link
        this.depth = 0;
        return true;
      case 'location':
        if (BARE_URL.test(plain)) return this.moveTo('closed');
        return (blank || CODE_FRAME.test(plain) || LOCATION_MORE.test(plain)) && this.modeLines < 40;
      case 'tap':
        return indentOf(plain) > this.headIndent && this.modeLines < MAX_BLOCK_LINES;
      case 'pytest':
        return !PYTEST_HEADING.test(plain) && this.modeLines < MAX_BLOCK_LINES;
      case 'elixir':
        return (indented || ELIXIR_MORE.test(plain)) && this.modeLines < MAX_BLOCK_LINES;
      case 'consola':
        if (this.modeLines >= MAX_BLOCK_LINES) return false;
        if (this.depth > 0) {
          this.depth += bracketDelta(plain); // the cause's dump, `Error {` to `}`
          return true;
        }
        if (CONSOLA_BADGE.test(plain)) return false;
        if (plain === CONSOLA_CAUSE) {
          this.depth = -1;
          return true;
        }
        if (this.depth < 0 && !blank) {
          this.depth = Math.max(0, bracketDelta(plain)); // the cause: its dump opens here
          return true;
        }
        return blank || indented || CONSOLA_MORE.test(plain);
      case 'logcat':
        return plain.startsWith(this.logcatHeader) && this.modeLines < MAX_BLOCK_LINES;
      case 'report':
        // Until the next log line (which starts with its time) or a runaway.
        return this.modeLines < 40 && !(first >= 48 && first <= 57);
      case 'closed':
        return false;
    }
  }

  /** After a plain line: a traceback it announces, or stack frames under it. */
  private followsSingle(plain: string): boolean {
    if (STACK_FRAME.test(plain) || RUBY_FROM.test(plain)) return this.frame(plain);
    // PHP's `Stack trace:` (php -S prints one under its `[500]` line too, which announces nothing).
    if (this.lines === 1 && STACK_TRACE_LINE.test(plain)) return this.moveTo('stack');
    if (!this.announcing) return false;
    // Spring prints a blank line before the exception, Flask before an import's traceback, Rails two spaces.
    if (plain.trim().length === 0) return this.lines <= 2;
    this.announcing = false;
    if (plain.startsWith(TRACEBACK)) return this.moveTo('python');
    if (EXCEPTION_GROUP.test(plain)) return this.moveTo('python-group');
    if (GOROUTINE.test(plain)) return this.moveTo('go');
    if (JAVA_EXCEPTION.test(plain) || PHP_STACK.test(plain) || RUBY_FRAME.test(plain) || RAILS_EXCERPT.test(plain))
      return this.moveTo('stack');
    if (ANNOUNCE_BRIDGE.test(plain)) return (this.announcing = true);
    if (REACT_LINK.test(plain)) return this.moveTo('stack');
    // Deno: `error: Uncaught Error: boom` (or a type error), then the source line and its caret, then the frames.
    if (this.lines <= 2 && DENO_ERROR.test(this.headText)) return (this.announcing = true);
    const pg = POSTGRES_MORE.exec(plain);
    if (pg !== null && POSTGRES_HEAD.exec(this.headText)?.[1] === pg[1]) return (this.announcing = true);
    if (plain.startsWith('(Use `node --trace-')) return this.moveTo('closed'); // under a Node warning
    if (this.headText.includes('FailureAnalysisReporter') && /^\*{5,}$/.test(plain)) return this.moveTo('report'); // Spring's banner
    if (this.headText.includes('\t') && GO_FUNCTION.test(plain)) return this.moveTo('zap'); // zap's console encoder is tab-separated
    // (Not under a head that is itself an exception line: `Error: x` twice is two errors.)
    const exception = NODE_EXCEPTION_MESSAGE.exec(plain);
    return (
      exception !== null && this.headText.endsWith(exception[1]) && !NODE_EXCEPTION_MESSAGE.test(this.headText) && this.moveTo('stack')
    );
  }

  private start(plain: string, level: LogLevel, seq: number): void {
    this.headSeq = seq;
    this.headLevel = level;
    // An ERROR or WARN line may announce a traceback; so does `Process SpawnProcess-1:` at any level.
    // (Not a request's access line: a 500's traceback is the error, the request line is a request.)
    this.announcing = ((level === 'ERROR' || level === 'WARN') && !isRequestLine(plain)) || PROCESS_HEAD.test(plain);
    this.headText = plain;
    this.lines = 1;
    this.modeLines = 0;
    this.mode = headMode(plain);
    this.blankSeen = false;
    this.interjections = 0;
    if (this.mode === 'tap') this.headIndent = indentOf(plain);
    if (this.mode === 'consola' || this.mode === 'turbopack') this.depth = 0;
    // A chatty tag logs separate INFO lines within one millisecond; an error's or warning's stack is what to keep together.
    if (this.mode === 'logcat') {
      if (level === 'ERROR' || level === 'WARN') this.logcatHeader = LOGCAT_HEADER.exec(plain)![0];
      else this.mode = 'single';
    }
    if (this.mode === 'json') {
      this.depth = bracketDelta(plain);
      if (this.depth <= 0) this.mode = 'single';
    } else if (this.mode === 'html' && HTML_END.test(plain)) {
      this.mode = 'closed';
    }
  }

  /** A Node or Java frame (or a code frame under it); Node ends the last one with ` {` when the error has properties. */
  private frame(plain: string): true {
    if (!plain.endsWith(' {')) return this.moveTo('stack');
    this.depth = 1;
    return this.moveTo('props');
  }

  private moveTo(mode: Mode): true {
    this.mode = mode;
    this.modeLines = 0;
    this.blankSeen = false;
    this.interjections = 0;
    return true;
  }
}
