import assert from 'node:assert/strict';
import { MAX_KEY_BLOCK_LINES, Redaction, RedactPatternError, checkRedactPatterns, redactionMarker } from '../../src/host/redact';
import { EXTRA_WINDOW, nestsUnboundedQuantifiers } from '../../src/host/redact/extraPatterns';
import { RULES } from '../../src/host/redact/rules';
import { PRIVATE_KEY_LINES, SECRET_SAMPLES, filler } from './helpers/secrets';

const mask = (line: string, redaction = new Redaction()) => redaction.forStream().maskLines([line])[0];
const m = redactionMarker;

describe('redaction: secret shapes', () => {
  for (const { kind, line, secret } of SECRET_SAMPLES) {
    it(`masks ${kind}: ${line.replace(secret, '…').slice(0, 70)}`, () => {
      assert.equal(mask(line), line.replace(secret, m(kind)));
    });
  }

  it('has a sample for every rule of the table', () => {
    const sampled = new Set(SECRET_SAMPLES.map((s) => s.kind));
    for (const rule of RULES) if (typeof rule.kind === 'string') assert.ok(sampled.has(rule.kind), `no sample for ${rule.kind}`);
    for (const kind of ['password', 'secret', 'token', 'key']) assert.ok(sampled.has(kind), `no key=value sample for ${kind}`);
  });

  const NOT_SECRETS = [
    'commit 3f786850e387550fdab836ed7e6dc881de23001b (HEAD -> main)',
    'request 123e4567-e89b-12d3-a456-426614174000 done in 12 ms',
    '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">',
    'GET /assets/index-3f786850e387550f.js 200 1.2 ms',
    'GET /ipfs/QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco/readme 200',
    'pulling sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'digest: sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 size: 1573',
    '"integrity": "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUR1UcY0jKl7bQ4oQ=="',
    'token count: 5',
    'password reset page rendered in 8 ms',
    'Tokens: 1234, max_tokens: 4096',
    'passwords do not match',
    'Bearer authentication failed for /api',
    'Basic authentication required',
    'Authorization failed: user not found',
    'ssh://git@github.com/acme/site.git',
    '  ➜  Local:   http://localhost:5173/',
    'GET /reset-password?step=2 200',
    "TypeError: Cannot read properties of undefined (reading 'token')",
    '    at verifyToken (/app/src/auth/token.ts:12:5)',
    'KeyboardInterrupt',
    'PWD=/home/dev/app',
    'running task-queue-worker-background-jobs',
    'secret_name=db-creds token_type=bearer',
    'key: value',
  ];
  for (const line of NOT_SECRETS) {
    it(`leaves alone: ${line.slice(0, 70)}`, () => {
      assert.equal(mask(line), line);
    });
  }
});

describe('redaction: ANSI colours, private keys, partial lines', () => {
  it('keeps the escapes around a secret and masks one cut by an escape', () => {
    assert.equal(mask('\x1b[32mpassword=hunter2\x1b[0m ok'), `\x1b[32mpassword=${m('password')}\x1b[0m ok`);
    assert.equal(mask('token=\x1b[1mab\x1b[22mc123\x1b[0m'), `token=\x1b[1m${m('token')}\x1b[22m\x1b[0m`);
    const ghp = 'gh' + 'p_' + filler(36, 1);
    assert.equal(mask(`\x1b[2m${ghp.slice(0, 10)}\x1b[0m${ghp.slice(10)} x`), `\x1b[2m${m('github-token')}\x1b[0m x`);
  });

  it('masks a credential inside an OSC 8 hyperlink and keeps the link working', () => {
    const line = '\x1b]8;;postgres://app:pw123@db/app\x07open db\x1b]8;;\x07';
    assert.equal(mask(line), `\x1b]8;;postgres://app:${m('url-password')}@db/app\x07open db\x1b]8;;\x07`);
  });

  it('masks the lines of a private key block, printed line by line, and not the lines after it', () => {
    const r = new Redaction().forStream();
    const out = r.maskLines(['key follows', ...PRIVATE_KEY_LINES, 'server ready']);
    assert.deepEqual(out, [
      'key follows',
      PRIVATE_KEY_LINES[0],
      m('private-key'),
      m('private-key'),
      m('private-key'),
      PRIVATE_KEY_LINES[4],
      'server ready',
    ]);
  });

  it('keeps the block state per stream and across slices', () => {
    const redaction = new Redaction();
    const stdout = redaction.forStream();
    const stderr = redaction.forStream();
    stdout.maskLines([PRIVATE_KEY_LINES[0]]);
    assert.deepEqual(stderr.maskLines(['plain stderr line']), ['plain stderr line']);
    assert.deepEqual(stdout.maskLines([PRIVATE_KEY_LINES[1]]), [m('private-key')]);
  });

  it('masks a key printed on one line (JSON with \\n escapes), keeping BEGIN and END', () => {
    const body = filler(64, 3);
    const line = `"private_key": "-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----\\n"`;
    const out = mask(line);
    assert.ok(!out.includes(body), out);
    assert.match(out, /«redacted:key»/);
  });

  it('gives up a block whose END never comes after MAX_KEY_BLOCK_LINES lines', () => {
    const r = new Redaction().forStream();
    r.maskLines([PRIVATE_KEY_LINES[0]]);
    const inside = r.maskLines(Array.from({ length: MAX_KEY_BLOCK_LINES }, () => filler(64)));
    assert.ok(inside.every((l) => l === m('private-key')));
    assert.deepEqual(r.maskLines(['after the cap']), ['after the cap']);
  });

  it('masks an unfinished line without moving the block state', () => {
    const r = new Redaction().forStream();
    assert.equal(r.maskPartial('Password: hunter2'), `Password: ${m('password')}`);
    assert.equal(r.maskPartial(PRIVATE_KEY_LINES[0]), PRIVATE_KEY_LINES[0]);
    assert.deepEqual(r.maskLines(['next']), ['next'], 'a partial BEGIN does not start a block');
    r.maskLines([PRIVATE_KEY_LINES[0]]);
    assert.equal(r.maskPartial('MIIEpAIBAAK'), m('private-key'));
    assert.equal(r.maskPartial(undefined), undefined);
  });

  it('with redaction off, lines and partials are kept exactly', () => {
    const r = new Redaction({ enabled: false }).forStream();
    const lines = SECRET_SAMPLES.map((s) => s.line);
    assert.deepEqual(r.maskLines([...lines]), lines);
    assert.equal(r.maskPartial('password=hunter2'), 'password=hunter2');
  });
});

describe('redaction: extra patterns', () => {
  it('masks each match, or only its first group', () => {
    const r = new Redaction({ patterns: ['INTERNAL-\\d{6}', 'session=(\\w+)'] });
    assert.equal(mask('ticket INTERNAL-123456 opened', r), `ticket ${m('pattern')} opened`);
    assert.equal(mask('cookie session=abc123; path=/', r), `cookie session=${m('pattern')}; path=/`);
  });

  it('finds matches across the windows of a long line', () => {
    const r = new Redaction({ patterns: ['CASE-\\d{4}'] });
    const line = 'x'.repeat(EXTRA_WINDOW - 3) + 'CASE-1234' + ' y'.repeat(EXTRA_WINDOW) + 'CASE-5678';
    const out = mask(line, r);
    assert.ok(!out.includes('CASE-'), 'both matches masked');
    assert.equal(out.split(m('pattern')).length, 3);
  });

  it('rejects a bad pattern with a message naming it', () => {
    assert.throws(
      () => new Redaction({ patterns: ['ok', '(unclosed'] }),
      (e: unknown) => e instanceof RedactPatternError && /redaction pattern "\(unclosed" is not a valid regular expression/.test(e.message),
    );
    assert.throws(() => new Redaction({ patterns: ['a*'] }), /redaction pattern "a\*" matches the empty string/);
    assert.throws(() => new Redaction({ patterns: ['(a+)+b'] }), /redaction pattern "\(a\+\)\+b" repeats a group/);
  });

  it('checkRedactPatterns keeps the usable patterns and names each bad one', () => {
    const { usable, problems } = checkRedactPatterns(['good\\d+', '[', '(x*)*y', 'also-good']);
    assert.deepEqual(usable, ['good\\d+', 'also-good']);
    assert.equal(problems.length, 2);
    assert.match(problems[0], /"\["/);
    assert.match(problems[1], /"\(x\*\)\*y"/);
  });

  it('tells nested unbounded repeats (catastrophic) from harmless ones', () => {
    for (const bad of ['(a+)+', '(\\w*)*x', '(?:a|b+){2,}', '((ab)*c)+', '(x+y?)*z']) assert.ok(nestsUnboundedQuantifiers(bad), bad);
    for (const ok of ['a+b+', '(ab)+', '(a+){3}', '[(+]+', '\\(a+\\)+', '(?:sk|rk)_live_\\w+', 'x{2,5}(y+)?']) {
      assert.ok(!nestsUnboundedQuantifiers(ok), ok);
    }
  });
});
