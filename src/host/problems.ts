import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { isWindowsAbsolute, normalizeLogPath } from '../shared/logPaths';

/** An error found in a run's log, pointing at the user's code (for VS Code's Problems panel). */
export interface Problem {
  /** As the log wrote it (absolute, or relative to the preview's cwd), after `normalizeLogPath`. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, when the log gives one. */
  column?: number;
  /** The exception line, e.g. "ValueError: bad input". */
  message: string;
  /** Seq of the line that ended the traceback/stack. */
  seq: number;
}

interface Frame {
  file: string;
  line: number;
  column?: number;
}

const PY_FRAME = /^\s+File "([^"]+)", line (\d+)/;
const NODE_ERROR = /^(?:Uncaught )?([A-Z]\w*(?:Error|Exception)|Error)(?::\s.*)?$/;
// The path runs to the last `:line:col`: Windows paths may hold spaces, `file:///C:/…` a colon.
const NODE_FRAME = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;
// `at new Promise (<anonymous>)`, `at async Promise.all (index 0)`: in the stack, but no place.
const NODE_FRAME_WITHOUT_PLACE = /^\s+at \S/;
/** Frames in libraries or the runtime are not where the user should look. */
const LIBRARY = /(site-packages|dist-packages|node_modules|[\\/]lib[\\/]python\d|^node:|^internal[\\/]|<frozen |^<)/;
// Windows Python keeps its standard library in `<install>\Lib\` (python.org, Store, conda) and
// runs console scripts from `Scripts\uvicorn.exe\__main__.py`.
const WINDOWS_PYTHON_LIBRARY =
  /[\\/](?:python\d*|PythonSoftwareFoundation\.Python\.[^\\/]+|(?:ana|mini)conda\d?(?:[\\/]envs[\\/][^\\/]+)?)[\\/]lib[\\/]|[\\/]Scripts[\\/][^\\/]+\.exe[\\/]/i;

/**
 * Resolves a path as a log wrote it against the preview's working directory, on Windows rules
 * when either is Windows-shaped (whatever OS this runs on, so Linux can test it).
 */
export function resolveLogPath(file: string, cwd: string): string {
  const p = normalizeLogPath(file);
  if (isWindowsAbsolute(p)) return path.win32.normalize(p);
  const base = normalizeLogPath(cwd);
  if (isWindowsAbsolute(base) && !p.startsWith('/')) return path.win32.resolve(base, p);
  return path.isAbsolute(p) ? p : path.resolve(cwd, p);
}

/**
 * Turns Python tracebacks and Node error stacks in a line stream into problems, at the innermost
 * frame in the user's own code. One per stream (a traceback spans lines of one stream).
 */
export class ProblemMatcher {
  private python?: { frames: Frame[] };
  private node?: { message: string; frames: Frame[]; seq: number };

  /** Feeds one line; returns the problems it completes. */
  push(text: string, seq: number): Problem[] {
    const plain = stripVTControlCharacters(text);
    const out: Problem[] = [];
    if (this.python) {
      const frame = PY_FRAME.exec(plain);
      if (frame) this.python.frames.push({ file: normalizeLogPath(frame[1]), line: Number(frame[2]) });
      else if (plain.trim() !== '' && !/^\s/.test(plain) && !/^(Traceback|During handling|The above exception)/.test(plain)) {
        const at = pick(this.python.frames);
        if (at) out.push({ ...at, message: plain.trim(), seq });
        this.python = undefined;
      }
      if (/^Traceback \(most recent call last\):/.test(plain)) this.python = { frames: [] };
      return out;
    }
    if (/^Traceback \(most recent call last\):/.test(plain)) {
      out.push(...this.endNode());
      this.python = { frames: [] };
      return out;
    }
    if (this.node) {
      const frame = NODE_FRAME.exec(plain);
      if (frame) {
        this.node.frames.push({ file: normalizeLogPath(frame[1]), line: Number(frame[2]), column: Number(frame[3]) });
        this.node.seq = seq;
        return out;
      }
      if (NODE_FRAME_WITHOUT_PLACE.test(plain)) {
        this.node.seq = seq;
        return out;
      }
      out.push(...this.endNode());
    }
    const error = NODE_ERROR.exec(plain.trim());
    if (error && !/^\s/.test(plain)) this.node = { message: plain.trim(), frames: [], seq };
    return out;
  }

  /** Ends whatever is open (at process exit). */
  flush(): Problem[] {
    return this.endNode();
  }

  private endNode(): Problem[] {
    const node = this.node;
    this.node = undefined;
    const at = node && pick(node.frames, true);
    return at ? [{ ...at, message: node.message, seq: node.seq }] : [];
  }
}

/** The innermost user frame: Python lists innermost last, Node first. */
function pick(frames: Frame[], innermostFirst = false): Frame | undefined {
  const ordered = innermostFirst ? frames : [...frames].reverse();
  return ordered.find((f) => !LIBRARY.test(f.file) && !WINDOWS_PYTHON_LIBRARY.test(f.file));
}
