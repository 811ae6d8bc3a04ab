import assert from 'node:assert/strict';
import { parseRunArgs, USAGE, UsageError, type RunArgs } from '../../src/cli/args';

const parse = (...argv: string[]) => parseRunArgs(argv, '/here') as RunArgs;

describe('preview-host run: redaction options', () => {
  it('redacts by default, with no extra patterns', () => {
    const args = parse('--', 'npm', 'run', 'dev');
    assert.equal(args.redact, true);
    assert.deepEqual(args.redactPatterns, []);
  });

  it('--no-redact turns it off; --redact-pattern is repeatable', () => {
    assert.equal(parse('--no-redact', '--', 'ls').redact, false);
    assert.deepEqual(parse('--redact-pattern', 'A\\d+', '--redact-pattern', 'sid=(\\w+)', '--', 'ls').redactPatterns, [
      'A\\d+',
      'sid=(\\w+)',
    ]);
  });

  it('a bad pattern, or patterns with --no-redact, is a usage error that names it', () => {
    assert.throws(
      () => parse('--redact-pattern', '[oops', '--', 'ls'),
      (e: unknown) =>
        e instanceof UsageError && /invalid --redact-pattern: redaction pattern "\[oops" is not a valid regular expression/.test(e.message),
    );
    assert.throws(() => parse('--redact-pattern', '.*', '--', 'ls'), /matches the empty string/);
    assert.throws(
      () => parse('--no-redact', '--redact-pattern', 'x', '--', 'ls'),
      /--no-redact and --redact-pattern cannot be used together/,
    );
  });

  it('the usage text lists both options', () => {
    assert.match(USAGE, /--no-redact/);
    assert.match(USAGE, /--redact-pattern RE/);
  });
});
