import assert from 'node:assert/strict';
import { FASTIFY_PINO, GO_LOG_AND_SLOG, HONO_TSX, KOA_LOGGER, PHP_SERVER, RAILS } from './helpers/capturedServers';
import { entrySizes, errors, requests, tag } from './helpers/entrySizes';

describe("entries and errors of PHP's, Rails' and Go's servers (captured 2026-12-02)", () => {
  it("php -S: each uncaught exception is one error, its [500] line (with PHP's copy of the stack) a request", () => {
    assert.deepEqual(errors(PHP_SERVER), [
      { title: 'Uncaught Exception: boom in /app/exception.php:2', count: 2 },
      { title: 'InvalidArgumentException: bad input in /app/chained.php:2', count: 1 },
    ]);
    assert.deepEqual(requests(PHP_SERVER), [
      'GET /missing/page 200',
      'GET /exception.php 500',
      'GET /exception.php 500',
      'GET /chained.php 500',
    ]);
    // A chained exception (`Next RuntimeException: …` after a blank line) stays in its entry.
    const fatal = PHP_SERVER.indexOf(
      '[Wed Dec  2 18:36:37 2026] PHP Fatal error:  Uncaught InvalidArgumentException: bad input in /app/chained.php:2',
    );
    const tagged = tag(PHP_SERVER);
    const next = PHP_SERVER.indexOf('Next RuntimeException: wrapper failed in /app/chained.php:3');
    assert.equal(tagged[next].entrySeq, fatal + 1);
  });

  it('Rails: Completed 500 is a request; the exception report with its view excerpt is one error; a missing route is a warning', () => {
    assert.deepEqual(errors(RAILS), [
      { title: 'RuntimeError (boom)', count: 2 },
      {
        title:
          "ActionView::Template::Error (undefined local variable or method `undefined_helper_xyz' for #<ActionView::Base:0x00000000004560>)",
        count: 1,
      },
    ]);
    const tagged = tag(RAILS);
    const view = RAILS.findIndex((line) => line.startsWith('ActionView::Template::Error'));
    assert.deepEqual(
      tagged.slice(view + 1, view + 4).map((line) => line.entrySeq),
      [view + 1, view + 1, view + 1],
      "the view's line, the padding and app/views/pages/viewerr.html.erb:1 belong to it",
    );
    const routing = RAILS.findIndex((line) => line.startsWith('ActionController::RoutingError'));
    assert.equal(tagged[routing].level, 'WARN');
    const completed = RAILS.findIndex((line) => line.startsWith('Completed 500'));
    assert.equal(tagged[completed + 1].entrySeq, undefined, 'Completed 500 announces no traceback');
  });

  it("Go: log's `warning:` message is WARN, a slog text error is titled as its JSON twin", () => {
    const levels = tag(GO_LOG_AND_SLOG).map((line) => line.level);
    assert.equal(levels[GO_LOG_AND_SLOG.indexOf('2026/12/02 18:27:59 warning: cache is cold')], 'WARN');
    assert.deepEqual(errors(GO_LOG_AND_SLOG), [
      { title: 'error text message — file does not exist', count: 1 },
      { title: 'error json message — file does not exist', count: 1 },
    ]);
    assert.equal(entrySizes(GO_LOG_AND_SLOG).length, GO_LOG_AND_SLOG.length, 'every log line is its own entry');
  });

  it("Hono under tsx watch: its logger's lines are requests, an esbuild error is one entry with Node's report, two top-level errors stay two", () => {
    assert.deepEqual(errors(HONO_TSX), [
      { title: 'Error: Widget lookup failed for id 42', count: 3 },
      { title: '/app/index.ts:17:15: ERROR: Unexpected ";"', count: 1 },
      { title: 'Error: Startup config missing: DATABASE_URL is not set', count: 1 },
    ]);
    assert.deepEqual(requests(HONO_TSX), ['GET /does-not-exist 404', 'GET /boom 500', 'GET /boom 500', 'GET /boom 500', 'GET /reject 500']);
    const tagged = tag(HONO_TSX);
    const version = HONO_TSX.indexOf('Node.js v20.20.2');
    assert.notEqual(tagged[version].entrySeq, undefined, "Node's version line ends the esbuild error's entry");
    assert.equal(tagged[HONO_TSX.indexOf('/app/index.ts:1')].level, 'ERROR', "where Node's report of an uncaught exception begins");
  });

  it("koa-logger's lines are requests with their levels; Fastify's completed requests raise their level, are requests and no errors", () => {
    assert.deepEqual(
      tag(KOA_LOGGER).map((line) => line.level),
      ['INFO', 'WARN', 'INFO', 'ERROR'],
    );
    assert.deepEqual(requests(KOA_LOGGER), ['GET /does-not-exist 404', 'GET /boom 500']);
    assert.deepEqual(errors(KOA_LOGGER), []);
    const completed = FASTIFY_PINO.filter((line) => line.includes('"msg":"request completed"'));
    assert.deepEqual(
      tag(completed).map((line) => line.level),
      ['INFO', 'INFO', 'WARN', 'ERROR', 'ERROR'],
    );
    assert.deepEqual(errors(FASTIFY_PINO), [{ title: 'Error: Widget lookup failed for id 42', count: 2 }]);
    // Fastify logs a request's method and path and its status on two lines, paired by reqId.
    assert.deepEqual(requests(FASTIFY_PINO), ['GET / 200', 'GET / 200', 'GET /does-not-exist 404', 'GET /boom 500', 'GET /boom 500']);
  });

  it("tsc's 'Found 1 error' summary and a watcher's word that its app crashed are no errors of their own", () => {
    assert.deepEqual(
      errors([
        '[7:10:08 PM] Found 1 error. Watching for file changes.',
        "Failed running 'server.js'",
        '[nodemon] app crashed - waiting for file changes before starting...',
      ]),
      [],
    );
  });
});
