/** Small text helpers for the header and rows. Pure: no DOM. */
import type { PreviewState, StatusEvent } from '../src/shared/protocol';

/** `HH:MM:SS.mmm` in local time; '' for an unparseable timestamp. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** `42s`, `3m 05s`, `2h 03m`, `1d 04h`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${p(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${p(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86400)}d ${p(Math.floor(s / 3600) % 24)}h`;
}

/** 1234567 → `1,234,567` (locale-independent, so tests and screenshots are stable). */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** What the header says about the process: `Ready`, `Exited with code 1`, `Failed: port in use`, `Crashed (exit code 1); restarting in 2 s (attempt 2)`. */
export function describeState(status: Pick<StatusEvent, 'state' | 'exitCode' | 'signal' | 'reason' | 'attempt' | 'delayMs'>): string {
  switch (status.state as PreviewState) {
    case 'starting':
      return 'Starting…';
    case 'ready':
      return 'Ready';
    case 'exited':
      if (status.signal) return `Exited (${status.signal})`;
      return status.exitCode === null || status.exitCode === undefined ? 'Exited' : `Exited with code ${status.exitCode}`;
    case 'restarting': {
      const how = status.signal ? `signal ${status.signal}` : typeof status.exitCode === 'number' ? `exit code ${status.exitCode}` : '';
      const when = status.delayMs === undefined ? '' : ` in ${formatDelay(status.delayMs)}`;
      const attempt = status.attempt === undefined ? '' : ` (attempt ${status.attempt})`;
      return `${how ? `Crashed (${how}); r` : 'R'}estarting${when}${attempt}…`;
    }
    case 'stopped':
      return 'Stopped';
    case 'failed':
      return status.reason ? `Failed: ${status.reason}` : 'Failed';
    default:
      return String(status.state);
  }
}

/**
 * Whether the preview is still running in this state (the uptime keeps ticking): a pending restart
 * after a crash counts, as the preview goes on by itself.
 */
export function isRunning(state: string): boolean {
  return state === 'starting' || state === 'ready' || state === 'restarting';
}

/** `1 s`, `0.05 s`, `30 s`: a restart's backoff. */
function formatDelay(ms: number): string {
  return `${Math.round(ms) / 1000} s`;
}
