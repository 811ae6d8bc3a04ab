import { readFileSync } from 'node:fs';
import type * as vscode from 'vscode';
import { lookupProcess, type ProcessIdentity, type ProcessTools, sameCommand, systemProcessTools } from '../common/processInfo';
import { processTree } from '../common/treeKill';

interface GroupRecord {
  pid: number;
  /** The extension host that started it, and when that started (null: unknown, e.g. a record from an older version). */
  ownerPid: number;
  ownerStart?: string | null;
  /** Put in the child's environment; on Linux, a process carrying it is surely ours. */
  marker: string;
  /** The preview as the OS showed it when it started: how macOS and Windows, which cannot show us its environment, tell it is ours. */
  identity?: ProcessIdentity | null;
  /** Why `identity` could not be read when the preview started. */
  identityError?: string;
}

/** How a leftover group is stopped; injected by tests. */
export interface LeftoverTools extends ProcessTools {
  /** SIGKILLs process group `pid`; false when there is none. */
  killGroup(pid: number): boolean;
}

const KEY = 'previewHost.processGroups';
export const MARKER_ENV = 'PREVIEW_HOST_MARKER';

/**
 * Remembers the process groups this extension host started, so that after a crash of the
 * extension host the next activation can stop the ones still running — and only those.
 */
export class ProcessGroupRecords {
  /**
   * This activation's marker; goes into every preview's environment. Unique, not secret: this
   * extension host's pid, the time and two Math.random() draws. Not node:crypto's randomUUID:
   * loading node:crypto was a third of activation's cost.
   */
  readonly marker = [process.pid, Date.now(), Math.random(), Math.random()].map((n) => n.toString(36).replace('0.', '')).join('-');
  // add and remove read-modify-write one state key, and add awaits the OS: run them one at a time.
  private queue: Promise<unknown> = Promise.resolve();
  private ownStart: Promise<string | null> | undefined;

  constructor(
    private readonly state: vscode.Memento,
    // Not the host's killProcessGroupSync: activation reaps leftovers and must not load src/host.
    private readonly tools: LeftoverTools = { ...systemProcessTools, killGroup: (pid) => processTree().killSync(pid) },
  ) {}

  add(pid: number): Promise<void> {
    return this.serially(async () => {
      const lookup = await lookupProcess(pid, this.tools);
      const record: GroupRecord = {
        pid,
        ownerPid: process.pid,
        ownerStart: await this.startOfThisHost(),
        marker: this.marker,
        identity: 'found' in lookup ? lookup.found : null,
        ...('error' in lookup && { identityError: lookup.error }),
      };
      await this.state.update(KEY, [...this.read().filter((r) => r.pid !== pid), record]);
    });
  }

  remove(pid: number): Promise<void> {
    return this.serially(async () => {
      await this.state.update(
        KEY,
        this.read().filter((r) => r.pid !== pid),
      );
    });
  }

  /** Kills groups whose owner died and that are still the processes recorded; returns how many. */
  stopLeftovers(log: (message: string) => void): Promise<number> {
    return this.serially(async () => {
      let stopped = 0;
      const keep: GroupRecord[] = [];
      for (const r of this.read()) {
        const verdict = await this.judge(r);
        if (verdict.log) log(verdict.log);
        if (verdict.action === 'keep') keep.push(r);
        if (verdict.action === 'stop' && (await this.stopGroup(r.pid, log))) stopped++;
      }
      await this.state.update(KEY, keep);
      return stopped;
    });
  }

  private async judge(r: GroupRecord): Promise<{ action: 'keep' | 'stop' | 'forget'; log?: string }> {
    if (r.ownerPid === process.pid && r.marker === this.marker) return { action: 'keep' };
    const owner = await lookupProcess(r.ownerPid, this.tools);
    if ('error' in owner) {
      return {
        action: 'keep',
        log: `cannot tell whether the extension host (pid ${r.ownerPid}) that started preview process group ${r.pid} still runs: ${owner.error}; left running`,
      };
    }
    const ownerAlive = 'found' in owner && (r.ownerStart == null || r.ownerStart === owner.found.start);
    if (ownerAlive && r.ownerPid !== process.pid) return { action: 'keep' }; // another window's live preview
    if (this.tools.platform === 'linux') return carriesMarker(r.pid, r.marker) ? { action: 'stop' } : { action: 'forget' };

    const now = await lookupProcess(r.pid, this.tools);
    if ('gone' in now) return { action: 'forget' };
    if ('error' in now) {
      return {
        action: 'keep',
        log: `cannot tell whether leftover preview process group ${r.pid} is still ours: ${now.error}; left running`,
      };
    }
    if (!r.identity) {
      const why = r.identityError ?? 'nothing was recorded (an older version of this extension)';
      return {
        action: 'forget',
        log: `preview process group ${r.pid} may be a leftover, but its start time could not be read when it started (${why}), so it cannot be told from a process that reused its pid: left running`,
      };
    }
    if (now.found.start === r.identity.start && sameCommand(r.identity.command, now.found.command)) return { action: 'stop' };
    return { action: 'forget' }; // the pid now belongs to another program
  }

  /** Windows has no process groups: taskkill /T stops the tree below the pid instead. */
  private async stopGroup(pid: number, log: (message: string) => void): Promise<boolean> {
    if (this.tools.platform === 'win32') {
      const result = await this.tools.run('taskkill', ['/pid', String(pid), '/T', '/F'], process.env);
      if (result.error || result.status !== 0) {
        const said = result.error?.message ?? (result.stderr.trim() || `exit status ${result.status}`);
        log(`could not stop leftover preview process tree ${pid} with taskkill: ${said}`);
        return false;
      }
      log(`stopped leftover preview process tree ${pid} from an extension host that exited`);
      return true;
    }
    if (!this.tools.killGroup(pid)) {
      log(`could not stop leftover preview process group ${pid}: it exited meanwhile or is not ours to signal`);
      return false;
    }
    log(`stopped leftover preview process group ${pid} from an extension host that exited`);
    return true;
  }

  private startOfThisHost(): Promise<string | null> {
    this.ownStart ??= lookupProcess(process.pid, this.tools).then((l) => ('found' in l ? l.found.start : null));
    return this.ownStart;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private read(): GroupRecord[] {
    const value = this.state.get<unknown>(KEY, []);
    return Array.isArray(value)
      ? value.filter(
          (r): r is GroupRecord => typeof r?.pid === 'number' && typeof r?.ownerPid === 'number' && typeof r?.marker === 'string',
        )
      : [];
  }
}

/** Linux: the environment of a live process is readable in /proc; when it is not, we cannot be sure, so no. */
function carriesMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`${MARKER_ENV}=${marker}`);
  } catch {
    return false;
  }
}
