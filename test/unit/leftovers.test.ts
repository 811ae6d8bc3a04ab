import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type * as vscode from 'vscode';
import type { CommandResult, ProcessIdentity } from '../../src/common/processInfo';
import { pidExists } from '../../src/common/procStat';
import { type LeftoverTools, MARKER_ENV, ProcessGroupRecords } from '../../src/extension/leftovers';
import { killProcessGroupSync } from '../../src/host/childProcess';
import { systemProcessTools } from '../../src/common/processInfo';

const KEY = 'previewHost.processGroups';
const PREVIEW = 4242;
const OWNER = 1180; // the crashed extension host
const STARTED = { start: '2024-03-05T08:03:07.4130920Z', command: 'C:\\WINDOWS\\system32\\cmd.exe /d /s /c "npm run dev"' };
const OWNER_STARTED = { start: '2024-03-05T08:00:00.0000000Z', command: '"C:\\…\\Code.exe" --type=extensionHost' };

class FakeMemento {
  constructor(readonly values: Record<string, unknown> = {}) {}
  keys = () => Object.keys(this.values);
  get<T>(key: string, fallback?: T): T {
    return (key in this.values ? this.values[key] : fallback) as T;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values[key] = value;
  }
}
const memento = (records: unknown[]) => new FakeMemento({ [KEY]: records }) as unknown as vscode.Memento & FakeMemento;

type Answer = ProcessIdentity | 'gone' | CommandResult;

/** What the OS tools print for each pid, as ps (macOS) or PowerShell (Windows) really print it. */
function fakeOs(platform: 'darwin' | 'win32', answers: Record<number, Answer>, taskkill: CommandResult = TASKKILL_OK) {
  const killed: number[] = [];
  const ran: string[][] = [];
  const answer = (file: string, args: string[]): CommandResult => {
    ran.push([file, ...args]);
    if (file === 'taskkill') return taskkill;
    const pid = Number(platform === 'darwin' ? args.at(-1) : /ProcessId=(\d+)/.exec(args.at(-1)!)![1]);
    const a = answers[pid] ?? 'gone';
    if (a === 'gone') return platform === 'darwin' ? { status: 1, stdout: '', stderr: '' } : { status: 0, stdout: '', stderr: '' };
    if ('status' in a) return a;
    const stdout =
      platform === 'darwin' ? `${lstart(a.start)} ${a.command}\n` : `${JSON.stringify({ start: a.start, command: a.command })}\r\n`;
    return { status: 0, stdout, stderr: '' };
  };
  const tools: LeftoverTools = {
    platform,
    run: async (file, args) => answer(file, args),
    runSync: answer,
    killGroup: (pid) => (killed.push(pid), true),
  };
  return { tools, killed, ran };
}

/** ps's `lstart`: local time, "Tue Mar  5 09:03:07 2024". */
function lstart(iso: string): string {
  const d = new Date(iso);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${String(d.getDate()).padStart(2)} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getFullYear()}`;
}
// ps has whole seconds only.
const wholeSecond = (id: ProcessIdentity) => ({ ...id, start: new Date(Math.floor(Date.parse(id.start) / 1000) * 1000).toISOString() });

function record(identity: ProcessIdentity | null, extra: object = {}) {
  return { pid: PREVIEW, ownerPid: OWNER, ownerStart: OWNER_STARTED.start, marker: 'old-marker', identity, ...extra };
}

const TASKKILL_OK = {
  status: 0,
  stdout: `SUCCESS: The process with PID ${PREVIEW} (child process of PID ${OWNER}) has been terminated.\r\n`,
  stderr: '',
};

describe('leftover preview process groups (macOS and Windows by pid + start time + command line)', () => {
  for (const platform of ['darwin', 'win32'] as const) {
    const started = platform === 'darwin' ? wholeSecond(STARTED) : STARTED;
    const ownerStarted = platform === 'darwin' ? wholeSecond(OWNER_STARTED) : OWNER_STARTED;

    describe(platform, () => {
      it('owner gone, same pid + start + command → stopped (win32: taskkill /T /F), record dropped', async () => {
        const os = fakeOs(platform, { [PREVIEW]: started });
        const state = memento([record(started)]);
        const logs: string[] = [];
        assert.equal(await new ProcessGroupRecords(state, os.tools).stopLeftovers((m) => logs.push(m)), 1);
        if (platform === 'win32') {
          assert.deepEqual(os.ran.at(-1), ['taskkill', '/pid', String(PREVIEW), '/T', '/F']);
          assert.deepEqual(logs, [`stopped leftover preview process tree ${PREVIEW} from an extension host that exited`]);
        } else {
          assert.deepEqual(os.killed, [PREVIEW]);
          assert.deepEqual(logs, [`stopped leftover preview process group ${PREVIEW} from an extension host that exited`]);
        }
        assert.deepEqual(state.values[KEY], []);
      });

      it('reused pid (another start time) → not touched, record dropped', async () => {
        const os = fakeOs(platform, { [PREVIEW]: { ...started, start: new Date(Date.parse(started.start) + 60_000).toISOString() } });
        const state = memento([record(started)]);
        assert.equal(await new ProcessGroupRecords(state, os.tools).stopLeftovers(() => {}), 0);
        assert.deepEqual(os.killed, []);
        assert.ok(!os.ran.some(([file]) => file === 'taskkill'));
        assert.deepEqual(state.values[KEY], []);
      });

      it('same start but another program under that pid → not touched', async () => {
        const os = fakeOs(platform, { [PREVIEW]: { ...started, command: 'python3 -m http.server' } });
        assert.equal(await new ProcessGroupRecords(memento([record(started)]), os.tools).stopLeftovers(() => {}), 0);
        assert.deepEqual(os.killed, []);
      });

      it("owner alive (same pid + start) → another window's preview: kept, not touched", async () => {
        const os = fakeOs(platform, { [PREVIEW]: started, [OWNER]: ownerStarted });
        const state = memento([record(started, { ownerStart: ownerStarted.start })]);
        assert.equal(await new ProcessGroupRecords(state, os.tools).stopLeftovers(() => {}), 0);
        assert.deepEqual(os.killed, []);
        assert.equal((state.values[KEY] as unknown[]).length, 1);
      });

      it("owner's pid reused by another process → the owner is gone: its leftover is stopped", async () => {
        const os = fakeOs(platform, { [PREVIEW]: started, [OWNER]: { start: '2025-01-01T00:00:00.000Z', command: 'bash' } });
        assert.equal(await new ProcessGroupRecords(memento([record(started)]), os.tools).stopLeftovers(() => {}), 1);
      });

      it('preview gone → record dropped quietly', async () => {
        const os = fakeOs(platform, {});
        const state = memento([record(started)]);
        const logs: string[] = [];
        assert.equal(await new ProcessGroupRecords(state, os.tools).stopLeftovers((m) => logs.push(m)), 0);
        assert.deepEqual([logs, state.values[KEY]], [[], []]);
      });

      it('the tool missing → a clear log, the record kept for the next activation, no kill, no throw', async () => {
        const file = platform === 'darwin' ? 'ps' : 'powershell.exe';
        const error = Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
        const os = fakeOs(platform, { [OWNER]: { status: null, stdout: '', stderr: '', error } });
        const state = memento([record(started)]);
        const logs: string[] = [];
        assert.equal(await new ProcessGroupRecords(state, os.tools).stopLeftovers((m) => logs.push(m)), 0);
        assert.deepEqual(logs, [
          `cannot tell whether the extension host (pid ${OWNER}) that started preview process group ${PREVIEW} still runs: ` +
            `could not run ${file}: spawn ${file} ENOENT; left running`,
        ]);
        assert.equal((state.values[KEY] as unknown[]).length, 1);
        assert.deepEqual(os.killed, []);
      });

      it('the tool failing on the preview → logged, kept', async () => {
        const os = fakeOs(platform, { [PREVIEW]: { status: 2, stdout: '', stderr: 'boom' } });
        const logs: string[] = [];
        assert.equal(await new ProcessGroupRecords(memento([record(started)]), os.tools).stopLeftovers((m) => logs.push(m)), 0);
        assert.match(
          logs.join('\n'),
          new RegExp(`cannot tell whether leftover preview process group ${PREVIEW} is still ours: .*boom; left running`),
        );
      });

      it('add records pid + start + command and the owner; unreadable at start → said at reaping, not stopped', async () => {
        const os = fakeOs(platform, { [PREVIEW]: started, [process.pid]: ownerStarted });
        const state = memento([]);
        const records = new ProcessGroupRecords(state, os.tools);
        await records.add(PREVIEW);
        assert.deepEqual(state.values[KEY], [
          { pid: PREVIEW, ownerPid: process.pid, ownerStart: ownerStarted.start, marker: records.marker, identity: started },
        ]);
        await records.remove(PREVIEW);
        assert.deepEqual(state.values[KEY], []);

        const failing = fakeOs(platform, { [PREVIEW]: { status: 1, stdout: '', stderr: 'denied' } });
        await new ProcessGroupRecords(state, failing.tools).add(PREVIEW);
        const logs: string[] = [];
        const later = fakeOs(platform, { [PREVIEW]: started }); // the owner (this process, per the fake) is gone
        assert.equal(await new ProcessGroupRecords(state, later.tools).stopLeftovers((m) => logs.push(m)), 0);
        assert.match(
          logs[0],
          /its start time could not be read when it started \(.*denied\), so it cannot be told from a process that reused its pid: left running/,
        );
        assert.deepEqual(later.killed, []);
      });
    });
  }

  it('macOS: a launcher that exec’d its program since the record (env node …) is still ours', async () => {
    const recorded = wholeSecond({ start: STARTED.start, command: '/usr/bin/env node /usr/local/bin/npm run dev' });
    const os = fakeOs('darwin', { [PREVIEW]: { ...recorded, command: 'node /usr/local/bin/npm run dev' } });
    assert.equal(await new ProcessGroupRecords(memento([record(recorded)]), os.tools).stopLeftovers(() => {}), 1);
  });

  it('Windows: taskkill failing is logged', async () => {
    const denied = {
      status: 1,
      stdout: '',
      stderr: `ERROR: The process with PID ${PREVIEW} could not be terminated.\r\nReason: Access is denied.\r\n`,
    };
    const os = fakeOs('win32', { [PREVIEW]: STARTED }, denied);
    const logs: string[] = [];
    assert.equal(await new ProcessGroupRecords(memento([record(STARTED)]), os.tools).stopLeftovers((m) => logs.push(m)), 0);
    assert.match(
      logs[0],
      /could not stop leftover preview process tree 4242 with taskkill: ERROR: The process with PID 4242 could not be terminated/,
    );
  });

  it('another OS: each record logged as not checkable, none stopped', async () => {
    const tools: LeftoverTools = { ...systemProcessTools, platform: 'freebsd', killGroup: () => assert.fail('no kill') };
    const logs: string[] = [];
    assert.equal(await new ProcessGroupRecords(memento([record(STARTED)]), tools).stopLeftovers((m) => logs.push(m)), 0);
    assert.match(logs[0], /not implemented on freebsd; left running/);
  });

  describe('real processes', () => {
    if (process.platform === 'win32') return;
    const deadPid = async () => {
      const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
      await new Promise((resolve) => dead.once('exit', resolve));
      return dead.pid!;
    };
    const sleeper = (env: NodeJS.ProcessEnv = {}) =>
      spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore', env: { ...process.env, ...env } });
    const gone = async (pid: number) => {
      for (let i = 0; i < 100 && pidExists(-pid); i++) await new Promise((r) => setTimeout(r, 20));
      return !pidExists(-pid);
    };

    it('Linux: the marker in the environment decides; a group without it is left alone', async function () {
      if (process.platform !== 'linux') this.skip();
      const ours = sleeper({ [MARKER_ENV]: 'old-marker' });
      const stranger = sleeper();
      try {
        const owner = await deadPid();
        const state = memento([
          { pid: ours.pid, ownerPid: owner, marker: 'old-marker' },
          { pid: stranger.pid, ownerPid: owner, marker: 'old-marker' },
        ]);
        assert.equal(await new ProcessGroupRecords(state).stopLeftovers(() => {}), 1);
        assert.ok(await gone(ours.pid!));
        assert.ok(pidExists(stranger.pid!));
      } finally {
        killProcessGroupSync(ours.pid!);
        killProcessGroupSync(stranger.pid!);
      }
    });

    it('the macOS path with the real ps: recorded by add, stopped after its owner died', async () => {
      const child = sleeper();
      try {
        const state = memento([]);
        const tools: LeftoverTools = { ...systemProcessTools, platform: 'darwin', killGroup: killProcessGroupSync };
        await new ProcessGroupRecords(state, tools).add(child.pid!);
        const [r] = state.values[KEY] as { ownerPid: number }[];
        r.ownerPid = await deadPid(); // as if this extension host had crashed
        const logs: string[] = [];
        assert.equal(await new ProcessGroupRecords(state, tools).stopLeftovers((m) => logs.push(m)), 1, logs.join('\n'));
        assert.ok(await gone(child.pid!));
      } finally {
        killProcessGroupSync(child.pid!);
      }
    });
  });
});
