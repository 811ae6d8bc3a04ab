// The layer fences of eslint.config.mjs: each forbidden import fails lint, so `npm run lint` (part
// of `npm test`) fails the build. Linted in memory, as if the file were at that path.
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const repo = path.resolve(__dirname, '../..');
const FENCE_RULE = '@typescript-eslint/no-restricted-imports';

let eslint: ESLint | undefined;

async function fenceErrors(file: string, code: string): Promise<string[]> {
  eslint ??= new ESLint({ cwd: repo });
  const [result] = await eslint.lintText(code, { filePath: path.join(repo, file) });
  return result.messages.filter((m) => m.ruleId === FENCE_RULE && m.severity === 2).map((m) => m.message);
}

describe('lint fences', function () {
  this.timeout(60_000);
  const cases: [file: string, code: string, fenced: boolean][] = [
    ['src/host/planted.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", true],
    ['src/host/planted.ts', "import type { Uri } from 'vscode';\nexport type U = Uri;\n", true],
    ['src/store/planted.ts', "import { Preview } from '../host/preview';\nexport const p = Preview;\n", true],
    ['src/shared/planted.ts', "import { levelOf } from '../host/levels';\nexport const l = levelOf;\n", true],
    ['src/cli/planted.ts', "import { activate } from '../extension/extension';\nexport const a = activate;\n", true],
    ['webview-ui/planted.ts', "import fs from 'node:fs';\nexport const f = fs;\n", true],
    ['webview-ui/planted.ts', "import { LogRing } from '../src/host/ring';\nexport const r = LogRing;\n", true],
    ['src/extension/planted.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", false],
    ['webview-ui/planted.ts', "import { LOG_LEVELS } from '../src/shared/protocol';\nexport const l = LOG_LEVELS;\n", false],
    ['src/shared/planted.ts', "import { LOG_LEVELS } from './protocol';\nexport const l = LOG_LEVELS;\n", false],
    ['src/common/planted.ts', "import { Preview } from '../host/preview';\nexport const p = Preview;\n", true],
    ['src/common/planted.ts', "import type { Clock } from '../shared/clock';\nexport type C = Clock;\n", false],
  ];
  for (const [file, code, fenced] of cases) {
    it(`${fenced ? 'fails' : 'passes'}: ${file} ← ${code.split('\n')[0]}`, async () => {
      const errors = await fenceErrors(file, code);
      assert.equal(errors.length > 0, fenced, errors.join('\n') || 'no fence error');
    });
  }
});
