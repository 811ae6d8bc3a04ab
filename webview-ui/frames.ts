/**
 * Stack frames in a line, for entries: which frame is the user's own code (kept visible when an
 * entry is collapsed) and which are libraries or the runtime (dimmed). The parsing is the host's
 * (`src/shared/stackFrames.ts`), so the panel and the error fingerprints agree. Pure: no DOM.
 */
import { parseStackFrame } from '../src/shared/stackFrames';

export interface FrameInfo {
  /** From site-packages, dist-packages, node_modules or the runtime: not where the user looks. */
  library: boolean;
  /** Python lists the innermost frame last; Node, Java, Go and Rust first. */
  innermostLast: boolean;
  /** The line names a file (a Go or Rust function line does not: its file line follows). */
  hasFile: boolean;
}

/** The frame a line (ANSI-free) is, or undefined when it is not a stack frame. */
export function frameOf(plain: string): FrameInfo | undefined {
  const frame = parseStackFrame(plain);
  if (!frame) return undefined;
  return { library: frame.library, innermostLast: frame.language === 'python', hasFile: frame.file !== undefined };
}
