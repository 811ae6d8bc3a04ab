// The packaged extension: checks what went into the .vsix and installs it into the VS Code build
// the tests run in (`--install-extension`), for the run that tests the installed extension.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { resolveCodeServerDir } from './launch/servers.mjs';

/** Inside a .vsix, the extension's files live under extension/. */
const ALLOWED = [
  /^dist\/[^/]+\.(js|wasm)$/,
  /^dist\/webview\/main\.(js|css)$/,
  /^media\//,
  /^readme\.md$/i,
  /^LICENSE(\.txt)?$/,
  /^package\.json$/,
];
const REQUIRED = [
  'package.json',
  'dist/extension.js',
  'dist/hostRuntime.js',
  'dist/cli.js',
  'dist/storeWorker.js',
  'dist/sql-wasm.wasm',
  'dist/webview/main.js',
  'dist/webview/main.css',
  'media/icon.png',
];

/** The names in a zip file's central directory. */
export function zipEntries(file: string): string[] {
  const zip = readFileSync(file);
  // End of central directory: signature, then (at +10) entry count, (+16) directory offset.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** Throws unless the .vsix holds only dist/ (no maps), media/, README, LICENSE and package.json; returns its size. */
export function checkVsixContents(vsix: string): number {
  const files = zipEntries(vsix)
    .filter((n) => n.startsWith('extension/'))
    .map((n) => n.slice('extension/'.length));
  const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  if (unexpected.length) throw new Error(`${vsix} holds files that should stay out (see .vscodeignore): ${unexpected.join(', ')}`);
  const missing = REQUIRED.filter((f) => !files.includes(f));
  if (missing.length) throw new Error(`${vsix} lacks ${missing.join(', ')}`);
  console.log(`${path.basename(vsix)} holds: ${files.join(', ')}`);
  return statSync(vsix).size;
}

/**
 * Installs the .vsix into `extensionsDir` with the VS Code build's own CLI: the server's
 * (lib/vscode/out/server-main.js --install-extension), or a desktop VS Code's.
 */
export function installVsix(vsix: string, extensionsDir: string, desktopExecutable?: string): void {
  const [command, args] = desktopExecutable
    ? [desktopExecutable, ['--install-extension', vsix, '--extensions-dir', extensionsDir]]
    : [
        process.execPath,
        [
          path.join(resolveCodeServerDir(), 'lib/vscode/out/server-main.js'),
          '--install-extension',
          vsix,
          '--extensions-dir',
          extensionsDir,
          '--accept-server-license-terms',
        ],
      ];
  const result = spawnSync(command, args, { encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`.trim();
  console.log(output);
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`--install-extension ${vsix} failed (exit ${result.status ?? result.signal}): ${output}`);
  }
}
