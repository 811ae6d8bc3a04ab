import { setFlagsFromString } from 'node:v8';

/**
 * For a process this code owns (the CLI), before sql.js loads: have V8 compile WebAssembly with its
 * optimizing compiler from each function's first call. By default it compiles them first with its
 * baseline compiler and again, on background threads, once they are hot; sql.js's functions get hot
 * in a run's first flood of lines, so every run paid for that second compilation while the flood
 * was on (bench/run.mjs: a third of what history cost a flood, on the server's "other" threads).
 * The first calls cost a few ms more instead. V8's flags are the whole process's: the VS Code
 * extension host, which other extensions share, is left alone.
 */
export function compileWasmOptimizedFromTheStart(): void {
  setFlagsFromString('--no-liftoff');
}
