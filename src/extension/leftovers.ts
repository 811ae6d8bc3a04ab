import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type * as vscode from 'vscode';
import { pidExists } from '../common/procStat';
import { killProcessGroupSync } from '../host/childProcess';

interface Record {
  pid: number;
  /** The extension host that started it. */
  ownerPid: number;
  /** Put in the child's environment, so a recycled pid is never mistaken for ours. */
  marker: string;
}

const KEY = 'previewHost.processGroups';
export const MARKER_ENV = 'PREVIEW_HOST_MARKER';

/**
 * Remembers the process groups this extension host started, so that after a crash of the
 * extension host the next activation can stop the ones still running — and only those.
 */
export class ProcessGroupRecords {
  /** This activation's marker; goes into every preview's environment. */
  readonly marker = randomUUID();

  constructor(private readonly state: vscode.Memento) {}

  async add(pid: number): Promise<void> {
    const records = this.read().filter((r) => r.pid !== pid);
    records.push({ pid, ownerPid: process.pid, marker: this.marker });
    await this.state.update(KEY, records);
  }

  async remove(pid: number): Promise<void> {
    await this.state.update(
      KEY,
      this.read().filter((r) => r.pid !== pid),
    );
  }

  /** Kills groups whose owner died and that still carry their marker; returns how many. */
  async stopLeftovers(log: (message: string) => void): Promise<number> {
    let stopped = 0;
    const keep: Record[] = [];
    for (const r of this.read()) {
      if (r.ownerPid !== process.pid && pidExists(r.ownerPid)) {
        keep.push(r); // another window's live preview
        continue;
      }
      if (r.ownerPid === process.pid && r.marker === this.marker) {
        keep.push(r);
        continue;
      }
      if (carriesMarker(r.pid, r.marker)) {
        killProcessGroupSync(r.pid);
        log(`stopped leftover preview process group ${r.pid} from an extension host that exited`);
        stopped++;
      }
    }
    await this.state.update(KEY, keep);
    return stopped;
  }

  private read(): Record[] {
    const value = this.state.get<unknown>(KEY, []);
    return Array.isArray(value) ? value.filter((r): r is Record => typeof r?.pid === 'number' && typeof r?.marker === 'string') : [];
  }
}

/** Linux: the environment of a live process is readable in /proc; elsewhere we cannot be sure, so no. */
function carriesMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`${MARKER_ENV}=${marker}`);
  } catch {
    return false;
  }
}
