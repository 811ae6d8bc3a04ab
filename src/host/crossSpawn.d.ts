// The part of cross-spawn (a CommonJS module without bundled types) this project uses.
declare module 'cross-spawn' {
  import type { ChildProcess, SpawnOptions } from 'node:child_process';

  interface ParsedCommand {
    command: string;
    args: string[];
    options: SpawnOptions & { windowsVerbatimArguments?: boolean };
  }

  interface CrossSpawn {
    (command: string, args: readonly string[], options: SpawnOptions): ChildProcess;
    /** What spawn() runs: on Windows a non-.exe command becomes `cmd.exe /d /s /c "…"` with escaping. Used by execa too. */
    _parse(command: string, args: readonly string[], options: SpawnOptions): ParsedCommand;
  }

  const crossSpawn: CrossSpawn;
  export = crossSpawn;
}
