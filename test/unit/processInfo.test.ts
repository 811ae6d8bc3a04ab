import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  type CommandResult,
  lookupProcess,
  lookupProcessSync,
  parsePowershellJson,
  parsePsLine,
  type ProcessTools,
  sameCommand,
  systemProcessTools,
} from '../../src/common/processInfo';
import { readProcStat } from '../../src/common/procStat';

// Real outputs. macOS `LC_ALL=C ps -ww -o lstart= -o command= -p 4242` (the day is space-padded):
const PS_LINE = 'Tue Mar  5 09:03:07 2024 node /Users/ana/app/node_modules/.bin/vite --port 41234 --strictPort\n';
// Windows PowerShell 5.1, the script of processInfo.ts (ConvertTo-Json -Compress of CreationDate 'o' and CommandLine):
const POWERSHELL_JSON =
  String.raw`{"start":"2024-03-05T08:03:07.4130920Z","command":"C:\\WINDOWS\\system32\\cmd.exe /d /s /c \"npm run dev\""}` + '\r\n';

/** Tools whose one command answers `result`; `calls` collects what was run. */
function answering(platform: NodeJS.Platform, result: CommandResult, calls: string[][] = []): ProcessTools {
  const run = (file: string, args: string[]) => {
    calls.push([file, ...args]);
    return result;
  };
  return { platform, run: async (file, args) => run(file, args), runSync: run };
}

const ok = (stdout: string): CommandResult => ({ status: 0, stdout, stderr: '' });
const missing = (file: string): CommandResult => ({
  status: null,
  stdout: '',
  stderr: '',
  error: Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' }),
});

describe('processInfo: who a pid is, by the OS', () => {
  describe('macOS: ps', () => {
    it('reads the start time (local time → ISO UTC) and the command line', async () => {
      const calls: string[][] = [];
      const lookup = await lookupProcess(4242, answering('darwin', ok(PS_LINE), calls));
      assert.deepEqual(lookup, {
        found: {
          start: new Date(2024, 2, 5, 9, 3, 7).toISOString(),
          command: 'node /Users/ana/app/node_modules/.bin/vite --port 41234 --strictPort',
        },
      });
      assert.deepEqual(calls, [['ps', '-ww', '-o', 'lstart=', '-o', 'command=', '-p', '4242']]);
    });

    it('parses a two-digit day and a line without a command', () => {
      assert.equal(parsePsLine('Sat Dec 14 23:59:01 2024 /bin/sh -c gunicorn\n')?.command, '/bin/sh -c gunicorn');
      assert.equal(parsePsLine('Sat Dec 14 23:59:01 2024\n')?.start, new Date(2024, 11, 14, 23, 59, 1).toISOString());
    });

    it('no such pid: ps exits 1 and says nothing → gone', async () => {
      assert.deepEqual(await lookupProcess(4242, answering('darwin', { status: 1, stdout: '', stderr: '' })), { gone: true });
    });

    it('ps missing, failing or printing something else → an error that says so, no throw', async () => {
      assert.deepEqual(await lookupProcess(4242, answering('darwin', missing('ps'))), { error: 'could not run ps: spawn ps ENOENT' });
      const usage = { status: 1, stdout: '', stderr: 'ps: illegal option -- w\nusage: ps …' };
      assert.deepEqual(lookupProcessSync(4242, answering('darwin', usage)), { error: 'ps exited with 1: ps: illegal option -- w' });
      const garbage = await lookupProcess(4242, answering('darwin', ok('mar. 5 mars 09:03:07 2024 node\n')));
      assert.ok('error' in garbage && /unexpected output/.test(garbage.error), JSON.stringify(garbage));
    });
  });

  describe('Windows: PowerShell Get-CimInstance', () => {
    it('reads CreationDate (ISO UTC) and CommandLine', async () => {
      const calls: string[][] = [];
      const lookup = await lookupProcess(4242, answering('win32', ok(POWERSHELL_JSON), calls));
      assert.deepEqual(lookup, {
        found: { start: '2024-03-05T08:03:07.4130920Z', command: 'C:\\WINDOWS\\system32\\cmd.exe /d /s /c "npm run dev"' },
      });
      assert.equal(calls[0][0], 'powershell.exe');
      assert.deepEqual(calls[0].slice(1, 4), ['-NoProfile', '-NonInteractive', '-Command']);
      assert.match(calls[0][4], /Get-CimInstance -ClassName Win32_Process -Filter 'ProcessId=4242'/);
    });

    it("another user's process: CommandLine null → empty command", () => {
      assert.deepEqual(parsePowershellJson('{"start":"2024-03-05T08:03:07.4130920Z","command":null}'), {
        start: '2024-03-05T08:03:07.4130920Z',
        command: '',
      });
    });

    it('no such pid: nothing printed, exit 0 → gone; an error (exit 1) is an error, not "gone"', async () => {
      assert.deepEqual(await lookupProcess(4242, answering('win32', ok(''))), { gone: true });
      const failed = { status: 1, stdout: '', stderr: 'Get-CimInstance : Access denied \r\nAt line:1 char:6\r\n' };
      const lookup = await lookupProcess(4242, answering('win32', failed));
      assert.ok(
        'error' in lookup && /^powershell\.exe exited with 1: Get-CimInstance : Access denied/.test(lookup.error),
        JSON.stringify(lookup),
      );
      assert.deepEqual(await lookupProcess(4242, answering('win32', missing('powershell.exe'))), {
        error: 'could not run powershell.exe: spawn powershell.exe ENOENT',
      });
    });
  });

  it('another OS: a clear "not implemented", and a bad pid is refused before any tool runs', async () => {
    const calls: string[][] = [];
    assert.deepEqual(await lookupProcess(4242, answering('freebsd', ok(''), calls)), {
      error: "reading a process's start time is not implemented on freebsd",
    });
    assert.deepEqual(await lookupProcess(-1, answering('win32', ok(''), calls)), { error: 'not a process id: -1' });
    assert.deepEqual(calls, []);
  });

  it('Linux: /proc start ticks and command line; a dead pid is gone', async function () {
    if (process.platform !== 'linux') this.skip();
    const lookup = lookupProcessSync(process.pid);
    assert.ok('found' in lookup);
    assert.equal(lookup.found.start, readProcStat(process.pid)?.startTime);
    assert.ok(lookup.found.command.startsWith(process.execPath) || lookup.found.command.includes('node'), lookup.found.command);
    const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => dead.once('exit', resolve));
    assert.deepEqual(await lookupProcess(dead.pid!), { gone: true });
  });

  it('the macOS path against a real ps (procps prints lstart the same way): a live child, then gone', async function () {
    if (process.platform === 'win32') this.skip();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'marker-arg'], { stdio: 'ignore' });
    const tools = { ...systemProcessTools, platform: 'darwin' as const };
    try {
      const lookup = await lookupProcess(child.pid!, tools);
      assert.ok('found' in lookup, JSON.stringify(lookup));
      assert.ok(Math.abs(Date.parse(lookup.found.start) - Date.now()) < 60_000, lookup.found.start);
      assert.match(lookup.found.command, /marker-arg$/);
      assert.deepEqual(lookupProcessSync(child.pid!, tools), lookup, 'the same process reads the same');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    assert.deepEqual(await lookupProcess(child.pid!, tools), { gone: true });
  });

  it('sameCommand: equal, or the tail a launcher exec’d into; nothing else', () => {
    const table: [string, string, boolean][] = [
      ['node server.js', 'node server.js', true],
      ['/usr/bin/env node /usr/local/bin/npm run dev', 'node /usr/local/bin/npm run dev', true],
      ['/bin/sh -c gunicorn --bind 127.0.0.1:8000 app:app', 'gunicorn --bind 127.0.0.1:8000 app:app', true],
      ['node server.js', 'python3 -m http.server', false],
      ['node server.js', '', false],
      ['node /a/server.js', 'a/server.js', false],
    ];
    for (const [recorded, current, same] of table) assert.equal(sameCommand(recorded, current), same, `${recorded} | ${current}`);
  });
});
