/**
 * The prefixes that process multiplexers put before each line of the processes they run — a
 * monorepo's dev command is often one of them — so that a line is read as its own process wrote it
 * (`[api] Error: boom` is a Node error; `web:dev: Traceback …` starts a traceback). Their shapes,
 * from real output (concurrently 9, npm-run-all2 8, yarn 4, turbo 2, pnpm 10+, lerna and nx with
 * `--stream`, foreman and node-foreman, Docker Compose):
 *
 * | shape | tools | trusted |
 * |---|---|---|
 * | `web-1  \| `, `web_1  \| ` | Docker Compose | at once |
 * | `15:24:25 web.1        \| `, `3:24:59 PM web.1 \|  ` | foreman, node-foreman | at once |
 * | `web:dev: `, `@acme/web#dev: ` | turbo | after two lines of one name |
 * | `packages/web dev: `, `packages/web dev$ ` | pnpm -r | after two lines of one name |
 * | `[web]: ` | yarn workspaces foreach -v | after two lines of one name |
 * | `[web] `, `[0] `, `[dev:web   ] ` | concurrently, npm-run-all2 | after two names, each twice |
 * | `web: ` | lerna, nx | after two names, each twice, and lerna's or nx's header or npm's banner |
 *
 * The looser shapes are also how single tools tag their own lines (`[vite] …`, `[nodemon] …`,
 * `Error: …`), so a name that is a level, an exception or a known tool's tag never counts, and a
 * shape is trusted only once the evidence says several processes share the stream.
 */
import { LEVEL_WORDS } from './structuredLine';

/** A line's prefix: the process it names and how many characters it takes. */
export interface MuxSplit {
  name: string;
  length: number;
}

type Shape = 'compose' | 'foreman' | 'turbo' | 'pnpm' | 'yarn' | 'bracket' | 'colon';

const TRUSTED_AT_ONCE: ReadonlySet<Shape> = new Set(['compose', 'foreman']);
const ONE_NAME_TWICE: ReadonlySet<Shape> = new Set(['turbo', 'pnpm', 'yarn']);

const FOREMAN = /^\d{1,2}:\d\d:\d\d(?: ?([AP]M))? ([\w.-]+\.\d+) +\| ?/;
const TURBO = /^((?:@[\w.-]+\/)?[\w.-]+[:#][\w:.-]+): /;
const PNPM = /^((?:\.|\.\.\.|[\w@.-]+)\/[\w@./-]+ [\w:.-]+)[:$] /;
const YARN = /^\[((?:@[\w.-]+\/)?[\w.-]+)\]: /;
// No space inside (npm-run-all2 pads after the name): `[Wed Dec  2 12:00:00 2026]` is PHP's time.
const BRACKET = /^\[([^\]\s]{1,60}) *\] /;
const COLON = /^((?:@[\w.-]+\/)?[\w.-]+): /;
// ` NX   Running target dev for 2 projects:`, ` Lerna (powered by Nx)   Running target dev for 2 projects:`.
const NX_HEADER = /^ ?(?:NX|Lerna \(powered by Nx\)) +Running target /;
// npm's banner of the script it runs: `> web@1.0.0 dev`.
const NPM_BANNER = /^> (?:@[\w.-]+\/)?[\w.-]+@\S+ \S/;

/** Names that tools use for their own lines, not for a process they run. */
const TOOL_TAGS = new Set([
  'vite',
  'nodemon',
  'webpack',
  'webpack-dev-server',
  'wds',
  'hmr',
  'hpm',
  'tsl',
  'nest',
  'next',
  'nuxt',
  'esbuild',
  'watch',
  'tailwindcss',
  'browsersync',
  'prisma',
  'note',
  'hint',
  'help',
  'tip',
  'usage',
  'deprecated',
  'success',
  'ok',
  'done',
  'log',
]);

/** Whether `name` may name a process: not a level, an exception, a tool's own tag, a time or a date. */
export function isProcessName(name: string): boolean {
  if (name.length === 0 || name.length > 60) return false;
  // Its first part too: `WARNING:root: …` (Python's logging) has turbo's shape.
  for (const part of new Set([name, name.split(/[:# ]/, 1)[0]])) {
    const lower = part.toLowerCase();
    if (LEVEL_WORDS[lower] !== undefined || TOOL_TAGS.has(lower)) return false;
    if (/(?:error|exception|warning|fail(?:ed|ure)?)$/.test(lower)) return false;
  }
  const first = name.charCodeAt(0);
  // concurrently's index (`[0]`) is a name; `12:00:00`, `2026-12-02`, `1/4` are not.
  if (first >= 48 && first <= 57) return /^\d{1,3}$/.test(name);
  return true;
}

/** The multiplexer prefix a line starts with, if its shape is one (whether to trust it is `MuxPrefixes`' call). */
export function muxPrefixOf(plain: string): (MuxSplit & { shape: Shape }) | undefined {
  const first = plain.charCodeAt(0);
  if (first === 91 /* [ */) {
    const yarn = YARN.exec(plain);
    if (yarn !== null) return { shape: 'yarn', name: yarn[1], length: yarn[0].length };
    const bracket = BRACKET.exec(plain);
    return bracket === null ? undefined : { shape: 'bracket', name: bracket[1], length: bracket[0].length };
  }
  if (first >= 48 && first <= 57) {
    const foreman = FOREMAN.exec(plain);
    if (foreman !== null) {
      // node-foreman writes `|  ` (its own space, then the line's).
      const extra = foreman[1] !== undefined && plain.charCodeAt(foreman[0].length) === 32 ? 1 : 0;
      return { shape: 'foreman', name: foreman[2], length: foreman[0].length + extra };
    }
  }
  // The rest start with a name: what follows it picks the shape, so most lines cost one short scan.
  let i = 0;
  let slash = false;
  for (let c = plain.charCodeAt(0); isTokenChar(c); c = plain.charCodeAt(++i)) if (c === 47) slash = true;
  const next = plain.charCodeAt(i);
  if (next === 32 /* space */) {
    const compose = composePrefixLength(plain);
    if (compose > 0) return { shape: 'compose', name: plain.slice(0, i), length: compose };
    const pnpm = slash ? PNPM.exec(plain) : null;
    return pnpm === null ? undefined : { shape: 'pnpm', name: pnpm[1], length: pnpm[0].length };
  }
  if (next !== 58 /* : */ && next !== 35 /* # */) return undefined;
  const turbo = TURBO.exec(plain);
  if (turbo !== null) return { shape: 'turbo', name: turbo[1], length: turbo[0].length };
  const colon = COLON.exec(plain);
  return colon === null ? undefined : { shape: 'colon', name: colon[1], length: colon[0].length };
}

/** Characters of the names that start a prefix: letters, digits, `_`, `.`, `-`, `@`, `/`. */
function isTokenChar(c: number): boolean {
  return isNameChar(c) || c === 64 || c === 47;
}

/**
 * An entry's lines without the multiplexer prefix they all carry (one process's), for its title and
 * fingerprint: the same error from `[api]` and from `api:dev:` is one error. A single line is only
 * trusted with Compose's or foreman's shape; the others need the entry's lines to agree.
 */
export function withoutSharedPrefix(lines: readonly string[]): readonly string[] {
  const head = lines.length > 0 ? muxPrefixOf(lines[0]) : undefined;
  if (head === undefined || (lines.length === 1 && !TRUSTED_AT_ONCE.has(head.shape)) || !isProcessName(head.name)) return lines;
  const lengths = [head.length];
  for (let i = 1; i < lines.length; i++) {
    const split = muxPrefixOf(lines[i]);
    if (split?.shape !== head.shape || split.name !== head.name) return lines;
    lengths.push(split.length);
  }
  return lines.map((line, i) => line.slice(lengths[i]));
}

/**
 * One stream's multiplexer, learned from its lines: `split` says which process a line comes from
 * once a shape is trusted (see the table above); one shape per stream.
 */
export class MuxPrefixes {
  private trusted: Shape | undefined;
  /** Per shape, how often each name was seen while no shape was trusted (bounded). */
  private readonly seen = new Map<Shape, Map<string, number>>();
  /** isProcessName's answers for the names of a trusted shape (a flood repeats a few). */
  private readonly names = new Map<string, boolean>();
  /** `web: ` is also how apps tag their own lines: lerna's or nx's header, or npm's banner of a script behind such a prefix, must have been seen. */
  private runnerSeen = false;

  split(plain: string): MuxSplit | undefined {
    const first = plain.charCodeAt(0);
    if (this.trusted === undefined && !this.runnerSeen && (first === 32 || first === 78 || first === 76) && NX_HEADER.test(plain)) {
      this.runnerSeen = true;
    }
    // Every shape starts with a name's character, a digit, `[`, `@` or `.`.
    if (first === 32 || first === 9 || Number.isNaN(first)) return undefined;
    const found = muxPrefixOf(plain);
    if (found === undefined) return undefined;
    const { shape, name, length } = found;
    if (shape === 'colon' && !this.runnerSeen && NPM_BANNER.test(plain.slice(length))) this.runnerSeen = true;
    if (this.trusted !== undefined) {
      return shape === this.trusted && (TRUSTED_AT_ONCE.has(shape) || this.isName(name)) ? { name, length } : undefined;
    }
    if (TRUSTED_AT_ONCE.has(shape) || (isProcessName(name) && this.learn(shape, name))) {
      this.trusted = shape;
      return { name, length };
    }
    return undefined;
  }

  private isName(name: string): boolean {
    let ok = this.names.get(name);
    if (ok === undefined) {
      ok = isProcessName(name);
      if (this.names.size < 256) this.names.set(name, ok);
    }
    return ok;
  }

  // Counts one more line of `name` in `shape`; true once the shape has earned trust.
  private learn(shape: Shape, name: string): boolean {
    let names = this.seen.get(shape);
    if (names === undefined) this.seen.set(shape, (names = new Map()));
    if (names.size >= 64 && !names.has(name)) return false;
    const count = (names.get(name) ?? 0) + 1;
    names.set(name, count);
    if (ONE_NAME_TWICE.has(shape)) return count >= 2;
    let twice = 0;
    for (const n of names.values()) if (n >= 2) twice++;
    return twice >= 2 && (shape !== 'colon' || this.runnerSeen);
  }
}

/**
 * Length of Docker Compose's service prefix (`web-1  | `, v1 `web_1  | `), 0 when the line has none.
 * The shape (a name ending in `-1` or `_1`, spaces, `| `) is Compose's own.
 */
export function composePrefixLength(plain: string): number {
  let i = 0;
  for (let c = plain.charCodeAt(0); isNameChar(c); c = plain.charCodeAt(++i));
  const last = plain.charCodeAt(i - 1);
  if (i < 3 || last < 48 || last > 57 || plain.charCodeAt(i) !== 32) return 0;
  const digits = i;
  let d = i - 1;
  while (d > 0 && plain.charCodeAt(d - 1) >= 48 && plain.charCodeAt(d - 1) <= 57) d--;
  const sep = plain.charCodeAt(d - 1);
  if (d < 2 || (sep !== 45 /* - */ && sep !== 95) /* _ */) return 0;
  while (plain.charCodeAt(i) === 32) i++;
  if (plain.charCodeAt(i) !== 124 /* | */ || i - digits > 40) return 0;
  return plain.charCodeAt(i + 1) === 32 ? i + 2 : i + 1;
}

/** Characters of a Compose service and replica name: letters, digits, `_`, `.`, `-`. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}
