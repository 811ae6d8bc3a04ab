import assert from 'node:assert/strict';
import { parseRunArgs, USAGE, UsageError, type RunArgs } from '../../src/cli/args';

const parse = (...argv: string[]) => parseRunArgs(argv, '/here') as RunArgs;

describe('preview-host run: argument parsing', () => {
  it('no command is no longer an error: an empty command means "detect"', () => {
    const args = parse();
    assert.deepEqual(args.command, []);
    assert.equal(args.cwd, '/here');
    assert.equal(args.pick, undefined);
    assert.equal(args.python, undefined);
  });

  it('--pick, --python and --cwd steer detection', () => {
    const args = parse('--pick', 'vite', '--python', '/venv/bin/python', '--cwd', '/app', '--json');
    assert.deepEqual(
      { pick: args.pick, python: args.python, cwd: args.cwd, command: args.command, json: args.json },
      { pick: 'vite', python: '/venv/bin/python', cwd: '/app', command: [], json: true },
    );
  });

  it('a command after -- runs as given', () => {
    assert.deepEqual(parse('--port', '5000', '--', 'npm', 'run', 'dev').command, ['npm', 'run', 'dev']);
  });

  it('--pick or --python together with a command is a usage error (they would be ignored)', () => {
    assert.throws(
      () => parse('--pick', 'vite', '--', 'npm', 'run', 'dev'),
      (e: unknown) => e instanceof UsageError && /--pick chooses among detected commands/.test(e.message),
    );
    assert.throws(
      () => parse('--python', 'python3', '--', 'python3', 'app.py'),
      (e: unknown) => e instanceof UsageError && /--python is used by detection only/.test(e.message),
    );
  });

  it('an empty --pick or --python, or one without its value, is a usage error', () => {
    assert.throws(() => parse('--pick', ''), UsageError);
    assert.throws(() => parse('--python', ' '), UsageError);
    assert.throws(() => parse('--pick'), UsageError);
  });

  it('the usage text shows the optional command and the new options', () => {
    assert.match(USAGE, /preview-host run \[options\] \[-- <command…>\]/);
    assert.match(USAGE, /--pick KIND/);
    assert.match(USAGE, /--python PATH/);
    assert.match(USAGE, /Without a command, runs what detection finds/);
  });

  it('-h still asks for help', () => {
    assert.equal(parseRunArgs(['-h'], '/here'), 'help');
  });
});
