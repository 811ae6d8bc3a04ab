// One ANSI stripper for every side: the host's level rules, the store's text export, and (pure,
// no Node) any browser code that wants it.

// OSC (titles, OSC 8 links; to BEL or ST, or to the end when cut off), CSI (colours, cursor moves;
// 7-bit ESC [ or the one-byte 0x9b) and the other ESC sequences (charset selects, ESC =, ESC 7 …).
/** Every ANSI escape sequence (global): `stripAnsi` removes them, redaction keeps them around what it masks. */
export const ANSI_ESCAPES = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[ -/]*[0-~]?/g;

/** The text with its ANSI escape sequences removed (other control characters are kept). */
export function stripAnsi(text: string): string {
  // The check skips the regex for the common uncoloured line.
  return text.includes('\x1b') || text.includes('\x9b') ? text.replace(ANSI_ESCAPES, '') : text;
}
