/**
 * ANSI SGR → styled text runs, via anser's JSON output (never its HTML): the DOM is built from the
 * runs with `textContent`, so log text can never become markup. Colours are CSS values that point
 * at theme variables (`--ph-ansi-*`), so they follow VS Code's terminal palette. Pure: no DOM.
 */
import Anser from 'anser';

/** One piece of text with one style. Colours are CSS values (`var(--ph-ansi-red)`, `rgb(…)`). */
export interface StyledRun {
  text: string;
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  hidden?: boolean;
}

// Non-SGR escapes anser would leave in the text (OSC 8 hyperlinks, charset selects, cursor moves)
// and C0 controls other than tab (bare CR and BEL would show as boxes).
const NON_SGR = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-ln-~]|\x1b(?!\[)[ -/]*[0-~]?|[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]/g;
const ANY_ESCAPE = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]|\x1b[ -/]*[0-~]?|[\x00-\x08\x0a-\x1f\x7f]/g;
const HAS_CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/** The text a reader sees: every escape sequence and control character (but tab) removed. */
export function stripAnsi(text: string): string {
  return HAS_CONTROL.test(text) ? text.replace(ANY_ESCAPE, '') : text;
}

const NAMED = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

/** Text → styled runs. Their texts concatenated equal `stripAnsi(text)`. */
export function ansiToRuns(text: string): StyledRun[] {
  if (!HAS_CONTROL.test(text)) return text ? [{ text }] : [];
  const cleaned = text.replace(NON_SGR, '');
  const entries = Anser.ansiToJson(cleaned, { use_classes: true, remove_empty: true });
  const runs: StyledRun[] = [];
  for (const e of entries) {
    if (!e.content) continue;
    const run: StyledRun = { text: e.content };
    let fg = colour(e.fg, e.fg_truecolor);
    let bg = colour(e.bg, e.bg_truecolor);
    if ((e as { isInverted?: boolean }).isInverted) {
      // anser swaps in black/white for default colours; use the theme's instead.
      if (e.fg === 'ansi-black' && e.bg === 'ansi-white') {
        fg = 'var(--ph-bg)';
        bg = 'var(--ph-fg)';
      }
    }
    if (fg) run.fg = fg;
    if (bg) run.bg = bg;
    for (const d of e.decorations) {
      if (d === 'bold') run.bold = true;
      else if (d === 'dim') run.dim = true;
      else if (d === 'italic') run.italic = true;
      else if (d === 'underline') run.underline = true;
      else if (d === 'strikethrough') run.strike = true;
      else if (d === 'hidden') run.hidden = true;
    }
    runs.push(run);
  }
  return runs;
}

/** anser's class names (`ansi-red`, `ansi-bright-red`, `ansi-palette-208`, `ansi-truecolor`) → CSS. */
function colour(cls: string | null, truecolor: string | null): string | undefined {
  if (!cls) return undefined;
  if (cls === 'ansi-truecolor') return truecolor && /^[\d, ]+$/.test(truecolor) ? `rgb(${truecolor})` : undefined;
  const palette = /^ansi-palette-(\d+)$/.exec(cls);
  if (palette) return paletteColour(Number(palette[1]));
  const named = /^ansi-(bright-)?(\w+)$/.exec(cls);
  if (named && NAMED.includes(named[2]!)) return `var(--ph-ansi-${named[1] ? 'bright-' : ''}${named[2]})`;
  return undefined;
}

/** xterm's 256-colour palette: 0–15 follow the theme, 16–231 the 6×6×6 cube, 232–255 greys. */
export function paletteColour(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 16) return `var(--ph-ansi-${n >= 8 ? 'bright-' : ''}${NAMED[n % 8]})`;
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  const i = n - 16;
  const step = (c: number) => (c === 0 ? 0 : 55 + c * 40);
  return `rgb(${step(Math.floor(i / 36))}, ${step(Math.floor(i / 6) % 6)}, ${step(i % 6)})`;
}
