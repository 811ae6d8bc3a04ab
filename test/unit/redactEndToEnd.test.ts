import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliBanner, LogLine, PartialLine } from '../../src/shared/protocol';
import { CLI, REPO, ensureBuilt } from './helpers/build';
import { PRIVATE_KEY_LINES, SECRET_SAMPLES } from './helpers/secrets';
import { RawSseClient } from './helpers/sse';
import { firstLine, withDeadline } from './helpers/wait';

const LAST_LINE = 'all secrets printed';
const PROMPT_SECRET = 'PromptPw123';
/** Masked by the extra pattern given with --redact-pattern. */
const CUSTOM = { line: 'ticket INTERNAL-123456 opened', secret: 'INTERNAL-123456', pattern: 'INTERNAL-\\d{6}' };
/** Every secret the child prints, the private key's inner lines included. */
const SECRETS = [...SECRET_SAMPLES.map((s) => s.secret), ...PRIVATE_KEY_LINES.slice(1, -1), CUSTOM.secret, PROMPT_SECRET];
// The child prints the lines it finds in its environment (so its command line holds no secret),
// ends with a prompt without a newline (a partial line) and waits to be stopped.
const CHILD = `for (const l of JSON.parse(process.env.SECRET_LINES)) console.log(l);
console.log(${JSON.stringify(LAST_LINE)}); process.stdout.write(process.env.SECRET_PROMPT); setInterval(() => {}, 1e9);`;

interface Outcome {
  streamed: string[];
  partials: string[];
  exported: string;
  historyFiles: { name: string; bytes: Buffer }[];
}

/** Runs the built CLI with a fresh history dir, reads its stream and its export, stops it, reads every history file. */
async function runPrintingSecrets(extraArgs: string[]): Promise<Outcome> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-redact-e2e-'));
  const lines = [...SECRET_SAMPLES.map((s) => s.line), ...PRIVATE_KEY_LINES, CUSTOM.line];
  const child = spawn(process.execPath, [CLI, 'run', '--json', '--history', dir, ...extraArgs, '--', process.execPath, '-e', CHILD], {
    cwd: REPO,
    env: { ...process.env, SECRET_LINES: JSON.stringify(lines), SECRET_PROMPT: `Password: ${PROMPT_SECRET}` },
  }) as ChildProcessWithoutNullStreams;
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const banner = JSON.parse(await withDeadline(firstLine(child.stdout), 20_000, () => `no banner; stderr: ${stderr}`)) as CliBanner;
    const sse = new RawSseClient(banner.url);
    await sse.ready;
    const logs = () => sse.ofType('log').map((e) => (JSON.parse(e.data) as LogLine).text);
    await sse.until(() => logs().includes(LAST_LINE) && sse.ofType('partial').length > 0);
    const exported = await exportWhenComplete(banner);
    const whileRunning = await journalWritten(dir); // the journal holds the newest lines until the next whole write
    sse.close();
    child.kill('SIGINT');
    assert.equal(await exited, 0, `the CLI stops cleanly; stderr: ${stderr}`);
    return {
      streamed: logs(),
      partials: sse.ofType('partial').map((e) => (JSON.parse(e.data) as PartialLine).text),
      exported,
      historyFiles: [...whileRunning, ...readFiles(dir)],
    };
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The run's text and JSONL exports, once history has its last line. */
async function exportWhenComplete(banner: CliBanner): Promise<string> {
  const get = async (route: string) =>
    (await fetch(`${banner.apiBase}${route}${route.includes('?') ? '&' : '?'}token=${banner.token}`)).text();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const runs = JSON.parse(await get('/runs')) as { id: number }[];
    if (runs.length > 0) {
      const text = await get(`/runs/${runs[0].id}/export?format=text`);
      if (text.includes(LAST_LINE)) return text + (await get(`/runs/${runs[0].id}/export?format=jsonl`));
    }
    if (Date.now() > deadline) throw new Error('the export never held the last line');
    await new Promise((r) => setTimeout(r, 100)); // history writes in batches: ask again
  }
}

/** The history dir's files, once its journal has the run's last line (it is appended a moment after the store has it). */
async function journalWritten(dir: string): Promise<{ name: string; bytes: Buffer }[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const files = readFiles(dir);
    if (files.some((f) => f.name.endsWith('.journal') && f.bytes.includes(LAST_LINE))) return files;
    if (Date.now() > deadline) throw new Error(`no journal with the last line in ${files.map((f) => path.basename(f.name))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function readFiles(dir: string): { name: string; bytes: Buffer }[] {
  return listFiles(dir).map((name) => ({ name, bytes: fs.readFileSync(name) }));
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full) : [full];
  });
}

describe('redaction end to end (the built CLI, a real child, history on disk)', function () {
  before(ensureBuilt);
  this.timeout(90_000);

  it('no secret reaches the stream, the partial line, the export or any history file (journal included)', async () => {
    const out = await runPrintingSecrets(['--redact-pattern', CUSTOM.pattern]);
    const names = out.historyFiles.map((f) => path.basename(f.name));
    assert.ok(names.includes('history.sqlite') && names.includes('history.sqlite.journal'), `read the database and its journal: ${names}`);
    const shown = out.streamed.join('\n');
    for (const secret of SECRETS) {
      assert.ok(!shown.includes(secret), `stream shows ${secret}`);
      assert.ok(!out.partials.some((p) => p.includes(secret)), `partial shows ${secret}`);
      assert.ok(!out.exported.includes(secret), `export holds ${secret}`);
      for (const f of out.historyFiles) assert.ok(!f.bytes.includes(secret), `${path.basename(f.name)} holds ${secret}`);
    }
    // The rest of each line is there, with its marker.
    for (const { kind, line, secret } of SECRET_SAMPLES) assert.ok(out.streamed.includes(line.replace(secret, `«redacted:${kind}»`)), line);
    assert.ok(out.partials.includes('Password: «redacted:password»'));
    assert.ok(out.streamed.includes('ticket «redacted:pattern» opened'), 'the --redact-pattern applies');
    const markers = out.historyFiles.some((f) => f.bytes.includes('«redacted:private-key»'));
    assert.ok(markers, 'the history holds the masked lines');
  });

  it('with --no-redact every secret is in the stream, the export and the history files', async () => {
    const out = await runPrintingSecrets(['--no-redact']);
    const shown = out.streamed.join('\n');
    for (const secret of SECRETS) {
      if (secret === PROMPT_SECRET) continue; // an unfinished line: only in partial events while the child runs
      assert.ok(shown.includes(secret), `stream lacks ${secret}`);
      assert.ok(out.exported.includes(secret), `export lacks ${secret}`);
      assert.ok(
        out.historyFiles.some((f) => f.bytes.includes(secret)),
        `history files lack ${secret}`,
      );
    }
    assert.ok(out.partials.includes(`Password: ${PROMPT_SECRET}`));
    const journal = out.historyFiles.find((f) => f.name.endsWith('.journal'));
    assert.ok(journal && SECRETS.slice(0, -1).every((s) => journal.bytes.includes(s)), 'the journal holds the lines as printed');
  });

  it('a bad --redact-pattern is a usage error naming the pattern (exit 2), not a crash', async () => {
    const child = spawn(process.execPath, [CLI, 'run', '--redact-pattern', 'ok', '--redact-pattern', '(a+)+', '--', 'ls'], { cwd: REPO });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /invalid --redact-pattern: redaction pattern "\(a\+\)\+" repeats a group/);
  });
});
