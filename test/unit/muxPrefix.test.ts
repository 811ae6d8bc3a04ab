import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { identifyError } from '../../src/host/fingerprint';
import { LineTagger } from '../../src/host/lineTagger';
import { MuxPrefixes, withoutSharedPrefix } from '../../src/shared/muxPrefix';
import type { NewLine } from '../../src/host/ring';
import { stripAnsi } from '../../src/shared/ansi';
import { entrySizes } from './helpers/entrySizes';

const TS = '2026-12-02T12:00:00.000Z';

/** Real output of each runner (test/fixtures/mux/README.md), tagged as one stream. */
function tagged(tool: string): { text: string; plain: string; out: NewLine }[] {
  const text = readFileSync(path.join(__dirname, '../fixtures/mux', `${tool}.txt`), 'utf8');
  const tagger = new LineTagger();
  return text.split('\n').map((line, i) => ({ text: line, plain: stripAnsi(line), out: tagger.line(line, TS, 'stdout', i + 1) }));
}

/** The ERROR entries' titles and fingerprints, as the error tracker makes them. */
function errors(lines: ReturnType<typeof tagged>): string[] {
  const entries: { level: string; lines: string[] }[] = [];
  for (const { plain, out } of lines) {
    if (out.entrySeq === undefined) entries.push({ level: out.level, lines: [plain] });
    else entries[entries.length - 1].lines.push(plain);
  }
  return entries
    .filter((e) => e.level === 'ERROR')
    .map((e) => {
      const { title, fingerprint } = identifyError(withoutSharedPrefix(e.lines));
      return `${title} (${fingerprint})`;
    });
}

const RUNNERS = ['concurrently', 'npm-run-all2', 'yarn', 'turbo', 'pnpm', 'lerna', 'foreman', 'node-foreman'];

describe('lines of processes run by a multiplexer (concurrently, turbo, pnpm, foreman…)', () => {
  for (const tool of RUNNERS) {
    it(`${tool}: reads each line as its process wrote it, and follows a process's traceback and stack`, () => {
      const lines = tagged(tool);
      const find = (needle: string) => {
        const i = lines.findIndex((l) => l.plain.includes(needle));
        assert.ok(i >= 0, `${tool} printed ${needle}`);
        return { ...lines[i].out, index: i };
      };
      assert.equal(find('INFO:     Uvicorn running').level, 'INFO');
      assert.equal(find('WARNING:  StatReloader').level, 'WARN');
      assert.equal(find('ERROR:    Exception in ASGI application').level, 'ERROR');
      assert.equal(find('GET /errors 200 in 3ms').level, 'INFO');

      const error = find('Error: boom');
      assert.equal(error.level, 'ERROR');
      assert.equal(error.entrySeq, undefined, 'heads its entry');
      assert.equal(find('    at f ([eval]:1:20)').entrySeq, error.index + 1, "the stack's first frame is in it");
      assert.equal(find('at node:internal/main/eval_string').entrySeq, error.index + 1, 'and its last');

      const traceback = find('Traceback (most recent call last):');
      assert.equal(traceback.level, 'ERROR');
      assert.equal(find('ZeroDivisionError: division by zero').entrySeq, traceback.index + 1, 'the traceback is one entry');
    });
  }

  it('gives an error the same title and fingerprint whichever runner printed it', () => {
    const reference = errors(tagged('concurrently')).filter((e) => /boom|ZeroDivision|ASGI/.test(e));
    assert.deepEqual(
      reference.map((e) => e.replace(/ \(.*/, '')),
      ['Exception in ASGI application', 'Error: boom', 'ZeroDivisionError: division by zero'],
    );
    for (const tool of RUNNERS) {
      const found = errors(tagged(tool));
      for (const error of reference) assert.ok(found.includes(error), `${tool}: ${error} in ${JSON.stringify(found)}`);
    }
  });

  it('tags a runner saying that a process failed as an error, and one that ended well as info', () => {
    const tagger = new LineTagger();
    const level = (text: string) => tagger.line(text, TS, 'stdout', 1).level;
    for (const failed of [
      './api.sh exited with code 1',
      'web-1 exited with code 137',
      'Next.js build worker exited with code: 1 and signal: null',
      '[ELIFECYCLE] Command failed with exit code 1.',
      'Failed',
      'Failed:    api#dev',
      ' NX   Running target dev for 2 projects failed',
      ' Lerna (powered by Nx)   Running target dev for 2 projects failed',
      'Process exited (exit code 1), completed in 1s 113ms',
      'The command failed in workspace api@workspace:packages/api with exit code 1',
      'Failed with errors in 2s 230ms',
    ]) {
      assert.equal(level(failed), 'ERROR', failed);
    }
    for (const fine of [
      './web.sh exited with code 0',
      'Process exited (exit code 0), completed in 2s 201ms',
      '[ELIFECYCLE] Command failed with signal SIGTERM.',
      'Failed tasks:',
      'Exited Successfully',
    ]) {
      assert.equal(level(fine), 'INFO', fine);
    }
  });

  it('takes a line without a prefix as the next line of the process before it (frames an app printed untagged)', () => {
    const lines = [
      '[web] starting',
      '[api] starting',
      '[web] ready',
      '[api] ready',
      '[api] Error: boom',
      '    at f (/app/api.js:1:20)',
      '[web] GET / 200',
    ];
    assert.deepEqual(entrySizes(lines), [1, 1, 1, 1, 2, 1]);
  });

  it("keeps a process's entry contiguous: a line of another process between its lines ends it", () => {
    const lines = [
      '[api] Error: boom',
      '[api]     at f (/app/api.js:1:20)',
      '[web] GET / 200 in 3ms',
      '[api]     at g (/app/api.js:9:3)',
      '[web] GET /about 200 in 2ms',
    ];
    assert.deepEqual(entrySizes(['[web] starting', '[api] starting', '[web] ready', '[api] ready', ...lines]), [1, 1, 1, 1, 2, 1, 1, 1]);
  });

  it('trusts a loose shape only once several processes share the stream, and never a tool tagging its own lines', () => {
    const trustedAfter = (lines: string[]) => {
      const prefixes = new MuxPrefixes();
      return lines.findIndex((line) => prefixes.split(line) !== undefined);
    };
    // concurrently: two names, each twice.
    assert.equal(trustedAfter(['[web] a', '[web] b', '[api] c', '[api] d', '[web] e']), 3);
    // lerna and nx: two names, each twice, once their header or npm's banner says a runner is there.
    assert.equal(trustedAfter(['api: listening', 'db: connected', 'api: ready', 'db: ready', 'api: GET /']), -1);
    assert.equal(trustedAfter([' NX   Running target dev for 2 projects:', 'api: a', 'web: b', 'api: c', 'web: d']), 4);
    assert.equal(trustedAfter(['web: > web@1.0.0 dev', 'api: > api@1.0.0 dev', 'web: a', 'api: b']), 3);
    // turbo: one name twice; Compose and foreman at once.
    assert.equal(trustedAfter(['web:dev: a', 'web:dev: b']), 1);
    assert.equal(trustedAfter(['web-1  | a']), 0);
    assert.equal(trustedAfter(['15:24:25 web.1        | a']), 0);

    const singleTools = [
      '[vite] hmr update /src/App.tsx',
      '[nodemon] restarting due to changes...',
      '[nodemon] starting `node server.js`',
      '[vite] page reload src/main.ts',
      '[info] GET /',
      '[info] Sent 200 in 2ms',
      '[debug] Processing with HelloWeb.PageController.index/2',
      '[debug] Processing with HelloWeb.PageController.show/2',
      '[1/4] Resolving packages...',
      '[2/4] Fetching packages...',
      '[12:00:00] Starting compilation in watch mode...',
      '[12:00:02] Found 0 errors. Watching for file changes.',
      '[Wed Dec  2 12:00:01 2026] 127.0.0.1:54321 Accepted',
      '[Wed Dec  2 12:00:01 2026] 127.0.0.1:54321 Closing',
      '[Wed Dec  2 12:00:02 2026] 127.0.0.1:54322 Accepted',
      '[Wed Dec  2 12:00:02 2026] 127.0.0.1:54322 Closing',
      'Error: boom',
      'TypeError: x is not a function',
      'Error: again',
      'TypeError: again',
      'WARNING:root: low disk',
      'WARNING:root: still low',
      'ERROR:app: failed twice',
      'ERROR:app: failed thrice',
      'Note: a note',
      'Note: another',
      'Hint: try this',
      'Hint: or that',
    ];
    assert.equal(trustedAfter(singleTools), -1);
    const tagger = new LineTagger();
    const crashed = tagger.line('[nodemon] app crashed - waiting for file changes before starting...', TS, 'stdout', 1);
    assert.equal(crashed.level, 'ERROR');
  });
});
