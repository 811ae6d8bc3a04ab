// Reads the command line @vscode/test-electron's runTests gives a VS Code executable:
// `<launchArgs...> --no-sandbox ... --extensionTestsPath=<abs> --extensionDevelopmentPath=<abs>
// --extensions-dir=<abs> --user-data-dir=<abs>`. Desktop-only flags are accepted and ignored.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** Options that take a value, as `--name=value` or `--name value`. */
const VALUE_OPTIONS = new Set(['extensionTestsPath', 'extensionDevelopmentPath', 'user-data-dir', 'extensions-dir', 'locale']);

/**
 * @typedef {object} LaunchArgs
 * @property {string} extensionTestsPath absolute
 * @property {string[]} extensionDevelopmentPaths absolute, one or more
 * @property {{ kind: 'folder' | 'workspace', path: string } | undefined} workspace the positional argument
 * @property {string | undefined} extensionsDir
 * @property {string | undefined} userDataDir
 * @property {boolean} disableExtensions
 * @property {boolean} disableWorkspaceTrust
 */

/** @param {string[]} argv @returns {LaunchArgs} */
export function parseLaunchArgs(argv) {
  /** @type {LaunchArgs} */
  const out = {
    extensionTestsPath: '',
    extensionDevelopmentPaths: [],
    workspace: undefined,
    extensionsDir: undefined,
    userDataDir: undefined,
    disableExtensions: false,
    disableWorkspaceTrust: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      if (out.workspace) throw new Error(`launcher: more than one workspace argument: ${out.workspace.path} and ${arg}`);
      out.workspace = toWorkspace(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    let value = eq === -1 ? undefined : arg.slice(eq + 1);
    if (VALUE_OPTIONS.has(name) && value === undefined) value = argv[++i];
    switch (name) {
      case 'extensionTestsPath':
        out.extensionTestsPath = path.resolve(required(name, value));
        break;
      case 'extensionDevelopmentPath':
        out.extensionDevelopmentPaths.push(path.resolve(required(name, value)));
        break;
      case 'extensions-dir':
        out.extensionsDir = path.resolve(required(name, value));
        break;
      case 'user-data-dir':
        out.userDataDir = path.resolve(required(name, value));
        break;
      case 'disable-extensions':
        out.disableExtensions = true;
        break;
      case 'disable-workspace-trust':
        out.disableWorkspaceTrust = true;
        break;
      default:
        break; // desktop flags (--no-sandbox, --skip-welcome, ...) mean nothing here
    }
  }
  if (!out.extensionTestsPath) throw new Error('launcher: --extensionTestsPath=<path> is missing');
  if (out.extensionDevelopmentPaths.length === 0) throw new Error('launcher: --extensionDevelopmentPath=<path> is missing');
  return out;
}

/** @param {string} name @param {string | undefined} value */
function required(name, value) {
  if (!value) throw new Error(`launcher: --${name} needs a value, got ${JSON.stringify(value)}`);
  return value;
}

/** @param {string} arg */
function toWorkspace(arg) {
  const abs = path.resolve(arg);
  if (!existsSync(abs)) throw new Error(`launcher: the workspace argument ${abs} does not exist`);
  const kind = statSync(abs).isFile() && abs.endsWith('.code-workspace') ? 'workspace' : 'folder';
  return /** @type {const} */ ({ kind, path: abs });
}
