import assert from 'node:assert/strict';
import { RequestScanner } from '../../src/shared/accessLog';
import { ASTRO, NEXT_TURBOPACK, NUXT, SVELTEKIT } from './helpers/capturedJsFrameworks';
import { entrySizes, errors, tag } from './helpers/entrySizes';

/** The requests /requests would list for `lines`, as `METHOD path status`. */
function requests(lines: readonly string[]): string[] {
  const scanner = new RequestScanner();
  scanner.push(tag(lines).map((line, i) => ({ ...line, seq: i + 1 })));
  return scanner.records.map((r) => `${r.method} ${r.path} ${r.status}`);
}

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
});
