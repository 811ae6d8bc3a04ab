// Windows package-manager shims (npm.cmd, pnpm.cmd …) start through cross-spawn, which wraps them in
// `cmd.exe /d /s /c "…"` with cmd's escaping (Node refuses a .cmd without a shell since 2024). This
// pins the invocation our spawn options produce, with cross-spawn loaded as it loads on Windows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type crossSpawnModule from 'cross-spawn';
import { spawnOptions } from '../../src/host/spawnCommand';

type Parse = (typeof crossSpawnModule)['_parse'];
// cross-spawn runs %ComSpec% (the full path of cmd.exe on Windows), else cmd.exe.
const CMD = process.env.comspec ?? 'cmd.exe';

// cross-spawn, which and isexe read process.platform when first loaded: load fresh copies as win32.
function loadParseAsWindows(): Parse {
  const fresh = /node_modules[\\/](cross-spawn|which|isexe|path-key)[\\/]/;
  const forget = (): void => Object.keys(require.cache).forEach((key) => fresh.test(key) && delete require.cache[key]);
  const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
  forget();
  Object.defineProperty(process, 'platform', { ...platform, value: 'win32' });
  try {
    // A run-time load on purpose: the fresh copy must see the faked platform.
    return (createRequire(__filename)('cross-spawn') as typeof crossSpawnModule)._parse;
  } finally {
    Object.defineProperty(process, 'platform', platform);
    forget(); // later requires get the real-platform copies
  }
}

describe('Windows shims start through cmd.exe with escaping (cross-spawn)', () => {
  let parse: Parse;
  let binDir: string;
  let shimDir: string;
  const pathExt = process.env.PATHEXT;

  before(() => {
    parse = loadParseAsWindows();
    // which reads PATHEXT at lookup time; lower case, since this file system (unlike Windows') minds case.
    process.env.PATHEXT = '.com;.exe;.bat;.cmd';
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-shims-'));
    binDir = path.join(root, 'nodejs');
    shimDir = path.join(root, 'app', 'node_modules', '.bin');
    fs.mkdirSync(binDir);
    fs.mkdirSync(shimDir, { recursive: true });
    for (const name of ['npm', 'pnpm', 'yarn', 'npx', 'ng', 'next']) fs.writeFileSync(path.join(binDir, `${name}.cmd`), '@ECHO off\r\n');
    fs.writeFileSync(path.join(binDir, 'python.exe'), '');
    fs.writeFileSync(path.join(shimDir, 'vite.cmd'), '@ECHO off\r\n');
  });

  after(() => {
    if (pathExt === undefined) delete process.env.PATHEXT;
    else process.env.PATHEXT = pathExt;
    fs.rmSync(path.dirname(binDir), { recursive: true, force: true });
  });

  function invocation(file: string, args: string[], pathDirs = [binDir]): string[] {
    const request = { file, args, cwd: path.dirname(binDir), env: { PATH: pathDirs.join(';') } };
    const parsed = parse(file, args, spawnOptions(request, 'win32'));
    assert.equal(parsed.options.windowsVerbatimArguments, parsed.command === CMD ? true : undefined);
    assert.equal(parsed.options.detached, false, 'Windows: no own console; taskkill /T finds the tree');
    return [parsed.command === CMD ? 'cmd.exe' : parsed.command, ...parsed.args];
  }

  // Each argument is quoted for the program (backslash-escaped inner quotes), then every cmd
  // metacharacter, the quotes included, gets a caret so cmd.exe passes it on literally.
  const TABLE: Array<[string, string[], string]> = [
    ['npm', ['run', 'dev'], '"npm ^"run^" ^"dev^""'],
    ['pnpm', ['run', 'dev', '--port', '5173'], '"pnpm ^"run^" ^"dev^" ^"--port^" ^"5173^""'],
    ['yarn', ['a b'], '"yarn ^"a^ b^""'],
    ['npx', ['say "hi"'], '"npx ^"say^ \\^"hi\\^"^""'],
    ['ng', ['a&b'], '"ng ^"a^&b^""'],
    ['next', ['x^y'], '"next ^"x^^y^""'],
    ['npm', ['%PATH%'], '"npm ^"^%PATH^%^""'],
    ['npm', ['wow!'], '"npm ^"wow^!^""'],
    ['npm', ['a|b', '<in>', '(x)'], '"npm ^"a^|b^" ^"^<in^>^" ^"^(x^)^""'],
    ['npm', ['C:\\dir with space\\'], '"npm ^"C:\\dir^ with^ space\\\\^""'],
  ];
  for (const [file, args, shellCommand] of TABLE) {
    it(`${file} ${JSON.stringify(args)} → cmd.exe /d /s /c ${shellCommand}`, () => {
      assert.deepEqual(invocation(file, args), ['cmd.exe', '/d', '/s', '/c', shellCommand]);
    });
  }

  it("a node_modules\\.bin shim gets its metacharacters escaped twice (the shim's own cmd.exe reads them again)", () => {
    assert.deepEqual(invocation('vite', ['a&b'], [shimDir]), ['cmd.exe', '/d', '/s', '/c', '"vite ^^^"a^^^&b^^^""']);
  });

  it('an .exe starts directly, without cmd.exe', () => {
    assert.deepEqual(invocation('python', ['-m', 'uvicorn', 'a b']), ['python', '-m', 'uvicorn', 'a b']);
  });
});
