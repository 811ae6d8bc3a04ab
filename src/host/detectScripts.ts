import { choosePackageManager, runScriptCommand } from './detectPackageManager';
import { commandLine, type Which } from './detectSupport';
import type { RunCandidate } from './detect';

/** One dev-server tool a package.json script can run, and how its port reaches it. */
export interface ScriptTool {
  /** What `--pick` names; also the quick pick's remembered key. */
  kind: string;
  /** Shown in the label, e.g. "Vite". */
  name: string;
  /** Matches the script's last command, wrappers (cross-env, npx, VAR=…) removed. */
  command: RegExp;
  /** Dependencies that must be present too (a plain `vite dev` is SvelteKit only with @sveltejs/kit). */
  deps?: readonly string[];
  /** Appended to the script when the tool ignores $PORT; absent: the tool reads $PORT. */
  portArgs?: readonly string[];
  /** Appended too, when the script does not have them: e.g. fail rather than move to another port. */
  strictArgs?: readonly string[];
  env?: Readonly<Record<string, string>>;
}

const PORT = ['--port', '{port}'];
const VITE_FLAGS = { portArgs: PORT, strictArgs: ['--strictPort'] } as const;
// `vite`, `vite dev`, `vite serve`, `vite preview`, `vite --host`: not `vite build` or `vite optimize`.
const VITE = /^vite(?!\s+(?:build|optimize)\b)(?:\s|$)/;

/** The rules, most specific first; the first row whose command (and deps) match wins. */
export const SCRIPT_TOOLS: readonly ScriptTool[] = [
  { kind: 'sveltekit', name: 'SvelteKit', command: VITE, deps: ['@sveltejs/kit'], ...VITE_FLAGS },
  { kind: 'sveltekit', name: 'SvelteKit', command: /^svelte-kit\s+dev\b/, portArgs: PORT },
  { kind: 'remix', name: 'Remix', command: /^remix\s+vite:dev\b/, ...VITE_FLAGS },
  { kind: 'react-router', name: 'React Router', command: /^react-router\s+dev\b/, ...VITE_FLAGS },
  // Classic `remix dev`'s --port is its HMR socket; the app server (remix-serve) reads $PORT.
  { kind: 'remix', name: 'Remix', command: /^remix(?:\s+dev\b|\s*$)|^remix-serve\b/ },
  { kind: 'astro', name: 'Astro', command: /^astro(?:\s+(?:dev|preview)|\s*$|\s+-)/, portArgs: PORT },
  { kind: 'angular', name: 'Angular', command: /^ng\s+(?:serve|s)\b/, portArgs: PORT },
  { kind: 'vite', name: 'Vite', command: VITE, ...VITE_FLAGS },
  { kind: 'webpack', name: 'webpack-dev-server', command: /^(?:webpack(?:-cli)?\s+serve\b|webpack-dev-server\b)/, portArgs: PORT },
  { kind: 'vue-cli', name: 'Vue CLI', command: /^vue-cli-service\s+serve\b/, portArgs: PORT },
  { kind: 'gatsby', name: 'Gatsby', command: /^gatsby\s+develop\b/, portArgs: PORT },
  { kind: 'next', name: 'Next.js', command: /^next(?:\s+(?:dev|start)\b|\s*$|\s+-)/ },
  // Nuxt 3's nuxi reads NUXT_PORT, then PORT; Nuxt 2 reads PORT.
  { kind: 'nuxt', name: 'Nuxt', command: /^(?:nuxt|nuxi|nuxt-app)(?:\s+dev\b|\s*$|\s+-)/ },
  // Without BROWSER=none, CRA opens a browser tab on every start.
  { kind: 'create-react-app', name: 'Create React App', command: /^react-scripts\s+start\b/, env: { BROWSER: 'none' } },
];

/** Scripts that start a dev server, best first. */
const SCRIPT_NAMES = ['dev', 'start', 'serve'];

/** The package.json script candidate: the tool's port flags appended, or $PORT when it reads it. */
export async function detectPackageScript(dir: string, pkg: Record<string, unknown>, which: Which): Promise<RunCandidate | undefined> {
  const scripts = isRecord(pkg.scripts) ? pkg.scripts : {};
  const script = SCRIPT_NAMES.find((name) => typeof scripts[name] === 'string' && (scripts[name] as string).trim() !== '');
  if (!script) return undefined;
  const text = scripts[script] as string;
  const deps = { ...(isRecord(pkg.dependencies) ? pkg.dependencies : {}), ...(isRecord(pkg.devDependencies) ? pkg.devDependencies : {}) };
  const words = lastCommand(text);
  const tool = matchScriptTool(text, Object.keys(deps));
  // `PORT=3000 node server.js` overrides the $PORT the host sets: the host must use that port.
  const envPort = /(?:^|\s)PORT=(\d+)\b/.exec(text);
  const fixedPort = (tool ? explicitPort(words) : undefined) ?? (envPort ? Number(envPort[1]) : undefined);

  const args: string[] = [];
  if (tool?.portArgs && fixedPort === undefined) args.push(...tool.portArgs);
  if (tool?.portArgs) for (const flag of tool.strictArgs ?? []) if (!words.includes(flag)) args.push(flag);

  const { manager, note } = await choosePackageManager(dir, pkg, which);
  const command = runScriptCommand(manager, script, args);
  const displayCommand = commandLine(command);
  const short = `${manager} run ${script}`;
  const notes = [note, fixedPort !== undefined ? `port ${fixedPort} set by the script` : undefined].filter(Boolean);
  return {
    kind: tool?.kind ?? 'script',
    label: (tool ? `${tool.name}: ${short}` : short) + (notes.length ? ` (${notes.join('; ')})` : ''),
    command,
    displayCommand,
    cwd: dir,
    env: tool?.env ? { ...tool.env } : undefined,
    port: fixedPort,
  };
}

/** The table row for a script's text, given the package's dependency names; undefined: a plain server. */
export function matchScriptTool(script: string, deps: readonly string[]): ScriptTool | undefined {
  const joined = lastCommand(script).join(' ');
  return SCRIPT_TOOLS.find((t) => t.command.test(joined) && (t.deps ?? []).every((d) => deps.includes(d)));
}

/**
 * The words of the script's last command: only it receives appended arguments (`tsc && vite`
 * passes them to vite). Leading `VAR=value`, cross-env, npx/bunx/pnpm exec and .bin/ are dropped.
 */
export function lastCommand(script: string): string[] {
  const segments = script.split(/&&|\|\||[;&|]/);
  let words = tokenize(segments[segments.length - 1] ?? '');
  for (;;) {
    const [first, second] = words;
    if (first === undefined) return words;
    if (
      /^[A-Za-z_][A-Za-z0-9_]*=/.test(first) ||
      first === 'cross-env' ||
      first === 'env' ||
      first === 'npx' ||
      first === 'bunx' ||
      first === 'pnpx'
    ) {
      words = words.slice(1);
      while (words[0]?.startsWith('-') && (first === 'npx' || first === 'bunx')) words = words.slice(1);
    } else if ((first === 'pnpm' || first === 'yarn') && (second === 'exec' || second === 'dlx')) {
      words = words.slice(2);
    } else if (/(^|[\\/])node_modules[\\/]\.bin[\\/]/.test(first)) {
      words = [first.replace(/^.*[\\/]/, ''), ...words.slice(1)];
    } else {
      return words;
    }
  }
}

/** The port a script fixes itself (`--port 3000`, `--port=3000`, `-p 3000`), if any. */
function explicitPort(words: readonly string[]): number | undefined {
  for (let i = 0; i < words.length; i++) {
    const inline = /^--port=(\d+)$/.exec(words[i]);
    const value = inline ? inline[1] : words[i] === '--port' || words[i] === '-p' ? words[i + 1] : undefined;
    if (value !== undefined && /^\d+$/.test(value)) return Number(value);
  }
  return undefined;
}

function tokenize(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
