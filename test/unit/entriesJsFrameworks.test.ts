import assert from 'node:assert/strict';
import { ANGULAR, ASTRO, NEXT_TURBOPACK, NUXT, REACT_ROUTER, SVELTEKIT, VUE_VITE, WEBPACK_TS_LOADER } from './helpers/capturedJsFrameworks';
import { entrySizes, errors, requests, tag } from './helpers/entrySizes';

/** The lines of the entry that `text` heads. */
function entryOf(lines: readonly string[], text: string): string[] {
  const tagged = tag(lines);
  const head = lines.indexOf(text);
  assert.ok(head >= 0, `no line ${text}`);
  return lines.filter((_, i) => i === head || tagged[i].entrySeq === head + 1);
}

describe("entries and errors of stock JS frameworks' dev servers (captured 2026-12-02)", () => {
  it('SvelteKit: its [500] lines are requests, each problem is one error, its two prints of a syntax error are one', () => {
    assert.deepEqual(errors(SVELTEKIT), [
      { title: 'Error: boom: user 42 not found', count: 2 },
      { title: "TypeError: Cannot read properties of undefined (reading 'value')", count: 1 },
      { title: '/app/src/routes/+page.svelte:2:39 `</p>` attempted to close an element that was not open', count: 1 },
      { title: '[PARSE_ERROR] Unexpected token (src/routes/logs/+page.server.ts:5:11)', count: 2 },
    ]);
    assert.deepEqual(requests(SVELTEKIT), [
      'GET /missing-page 404',
      'GET /boom 500',
      'GET /api/crash 500',
      'GET /boom 500',
      'GET / 500',
      'GET /logs 500',
    ]);
    // Vite's error with Svelte's docs link, plugin, file and code frame under it.
    const svelteError = SVELTEKIT.find((line) => line.includes('attempted to close an element'))!;
    assert.deepEqual(entryOf(SVELTEKIT, svelteError).slice(1, 4), [
      'https://svelte.dev/e/element_invalid_closing_tag',
      '  Plugin: vite-plugin-svelte:compile',
      '  File: /app/src/routes/+page.svelte:2:39',
    ]);
    // The second print: `Error: Transform failed with 1 error:`, its diagnostic, oxc's frame and the stack.
    const transform = entryOf(SVELTEKIT, 'Error: Transform failed with 1 error:');
    assert.equal(
      transform.at(-1),
      '    at async EventEmitter.listenerForInvokeHandler (file:///app/node_modules/vite/dist/node/chunks/node.js:26553:13)',
    );
    assert.ok(transform.includes('[PARSE_ERROR] Unexpected token'));
    // A 404's line takes in no blank line after it (it announces no traceback).
    assert.deepEqual(entryOf(SVELTEKIT, '[404] GET /missing-page'), ['[404] GET /missing-page']);
  });

  it("Astro: an [ERROR] line with its Stack trace, frame and '[...]' line is one entry; its status lines are requests", () => {
    assert.deepEqual(entrySizes(ASTRO), [1, 1, 1, 4, 4]);
    assert.deepEqual(errors(ASTRO), [
      { title: 'boom: user 42 not found', count: 1 },
      { title: "Cannot read properties of undefined (reading 'value')", count: 1 },
    ]);
    assert.deepEqual(requests(ASTRO), ['GET / 200', 'GET / 200', 'GET /missing-page 404']);
  });

  it("Nuxt (consola): a request error's whole block is one entry titled by its exception; a warning keeps its fix and see lines", () => {
    const head = ' ERROR  [request error] [unhandled] [GET] http://localhost:3000/api/boom';
    const block = entryOf(NUXT, head);
    assert.ok(block.includes('[CAUSE]') && block.includes('}'), "the block runs to the end of its [CAUSE]'s dump");
    assert.ok(block.includes(' ⁃ at loadUser (server/api/boom.ts:2:8)'));
    const warning = ' WARN  [VUE_ROUTER_R0004] No match found for location with path "/missing-page"';
    assert.equal(entryOf(NUXT, warning).length, 3);
    assert.deepEqual(errors(NUXT), [
      { title: 'Error: boom: user 42 not found', count: 1 },
      { title: '/app/server/api/logs.ts:6:20: ERROR: Expected "}" but found ";"', count: 1 },
    ]);
  });

  it("Next.js (Turbopack): an issue's block runs to its two blank lines; titles lose the ⨯ and a compile error names its file", () => {
    assert.equal(entryOf(NEXT_TURBOPACK, '⚠ [next]/internal/font/google/geist_a71539c9.module.css').length, 11);
    const syntax = entryOf(NEXT_TURBOPACK, '⨯ ./src/app/page.tsx:4:19');
    assert.deepEqual(syntax.slice(-3), ['Parsing ecmascript source code failed', '', '']);
    assert.deepEqual(errors(NEXT_TURBOPACK), [
      { title: 'Error: boom: user 42 not found', count: 1 },
      {
        title:
          'Error: Unexpected token `;`. Expected identifier, string literal, numeric literal or [ for the computed key (./src/app/page.tsx)',
        count: 1,
      },
    ]);
  });

  it("Angular: the same TS error in two files is two errors named by file; the build's 'generation failed' summary is no error", () => {
    assert.deepEqual(errors(ANGULAR), [
      { title: "TS2322: Type 'string' is not assignable to type 'number'. [plugin angular-compiler] (src/app/app.ts:12:2)", count: 2 },
      { title: "TS2322: Type 'string' is not assignable to type 'number'. [plugin angular-compiler] (src/app/other.ts:1:13)", count: 1 },
    ]);
    const failed = ANGULAR.findIndex((line) => line.startsWith('Application bundle generation failed.'));
    assert.equal(tag(ANGULAR)[failed].level, 'ERROR');
  });

  it("webpack with ts-loader: each diagnostic is one entry titled by its TS code and where; the 'compiled with' summary is no error", () => {
    assert.deepEqual(errors(WEBPACK_TS_LOADER), [
      { title: "TS2322: Type 'string' is not assignable to type 'number'. (/app/src/calc.ts(2,14))", count: 1 },
      { title: "TS6133: 'unused' is declared but its value is never read. (/app/src/calc.ts(2,10))", count: 1 },
      { title: "TS6133: 'z' is declared but its value is never read. (/app/src/calc.ts(2,27))", count: 1 },
    ]);
    const tagged = tag(WEBPACK_TS_LOADER);
    const head = WEBPACK_TS_LOADER.indexOf('ERROR in /app/src/calc.ts');
    assert.equal(
      tagged[WEBPACK_TS_LOADER.indexOf('[tsl] ERROR in /app/src/calc.ts(2,14)')].entrySeq,
      head + 1,
      "ts-loader's line goes on with webpack's",
    );
  });

  it("Vue on Vite: the compiler's warnings are WARN; an SFC syntax error is one entry with its file, code frames, plugin and stack", () => {
    const tagged = tag(VUE_VITE);
    assert.equal(tagged[0].level, 'WARN', VUE_VITE[0]);
    const head = VUE_VITE.findIndex((line) => line.endsWith('Internal server error: [vue/compiler-sfc] Unexpected token (5:0)'));
    const rest = tagged.slice(head + 1).findIndex((line) => line.entrySeq !== head + 1);
    const block = VUE_VITE.slice(head, rest === -1 ? undefined : head + 1 + rest);
    assert.ok(block.includes('/app/src/components/HelloWorld.vue') && block.includes('  Plugin: vite:vue'), block.join('\n'));
    assert.deepEqual(
      errors(VUE_VITE).map((e) => e.title),
      [
        'Element is missing end tag.',
        'Error parsing JavaScript expression: Unexpected token (1:6)',
        '[vue/compiler-sfc] Unexpected token (5:0)',
      ],
    );
  });

  it('React Router: a missing route is a 404 (WARN), each Future Flag Warning is its own WARN entry with its explanation', () => {
    const tagged = tag(REACT_ROUTER);
    assert.equal(tagged[0].level, 'WARN', REACT_ROUTER[0]);
    const flags = REACT_ROUTER.flatMap((line, i) => (line.includes('Future Flag Warning') ? [i] : []));
    assert.ok(flags.length >= 2);
    for (const i of flags) {
      assert.equal(tagged[i].level, 'WARN');
      assert.equal(tagged[i].entrySeq, undefined, 'each warning heads its own entry');
      assert.equal(tagged[i + 1].entrySeq, i + 1, 'its explanation goes with it');
    }
    assert.deepEqual(errors(REACT_ROUTER), [
      { title: "TypeError: Cannot read properties of undefined (reading 'name')", count: 2 },
      { title: 'Error: database unavailable', count: 1 },
    ]);
  });
});
