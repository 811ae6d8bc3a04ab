// Lint, and the layer fences that fail the build (README "Architecture", docs/ARCHITECTURE.md):
// only src/extension imports vscode; webview-ui runs in a browser; src/shared depends on nothing of
// ours; src/store stands beside src/host, not on it.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const VSCODE = { name: 'vscode', message: 'Only src/extension/ may import vscode: the host, store, CLI and webview run without VS Code.' };
const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((name) => ({
  name,
  message: 'webview-ui/ runs in a browser (and a webview): no Node built-ins.',
}));

/** One `no-restricted-imports` per folder: ESLint keeps only the last setting of a rule per file. */
function fence(files, { paths = [], patterns = [] }) {
  return {
    files,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-output/**', '.vscode-test/**', 'bench/results/**', '**/*.d.mts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      // The code narrows `unknown` at its boundaries; an explicit any is a smell, not an error.
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Splitting, stripping and parsing terminal output is this project's job.
      'no-control-regex': 'off',
      // TypeScript already reports undefined names, with the right globals per tsconfig.
      'no-undef': 'off',
    },
  },
  fence(['src/host/**', 'src/cli/**'], {
    paths: [VSCODE],
    patterns: [{ group: ['**/extension/*'], message: 'src/extension depends on the host, not the other way round.' }],
  }),
  fence(['src/store/**'], {
    paths: [VSCODE],
    patterns: [
      { group: ['**/host/*', '**/extension/*'], message: 'src/store stands beside src/host: share through src/shared or src/common.' },
    ],
  }),
  fence(['src/common/**'], {
    paths: [VSCODE],
    patterns: [{ regex: String.raw`^\.\./(?!common/|shared/)`, message: 'src/common serves host and store: it imports only src/shared.' }],
  }),
  fence(['src/shared/**'], {
    paths: [VSCODE],
    patterns: [{ regex: String.raw`^\.\./(?!shared/)`, message: 'src/shared is what every side imports: it imports nothing of ours.' }],
  }),
  fence(['webview-ui/**'], {
    paths: [VSCODE, ...NODE_BUILTINS],
    patterns: [
      {
        group: ['**/src/host/*', '**/src/store/*', '**/src/extension/*', '**/src/cli/*'],
        message: 'webview-ui shares only src/shared with the other sides.',
      },
    ],
  }),
  {
    files: ['**/*.mjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
