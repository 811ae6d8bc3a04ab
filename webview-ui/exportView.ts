/**
 * Export: what the view shows (its levels and search, or the selection's seq range) as text or
 * JSON Lines, through the host's export route. In VS Code the extension asks where to save it; in
 * a browser it downloads. A small panel under the toolbar says what will be exported and shows
 * failures until it is closed.
 */
import type { ExportFilter, ExportFormat } from '../src/shared/historyApi';
import { LOG_LEVELS, type LogLevel } from '../src/shared/protocol';
import type { Bridge } from './bridge';
import { h, setText } from './dom';
import { formatCount } from './format';
import { placeUnder } from './popover';
import type { RunApi } from './runApi';

/** What an export covers and how the panel describes it. */
export interface ExportScope {
  filter: ExportFilter;
  description: string;
  /** Part of the file name: `lines-10-42`, `filtered`, or '' for the whole run. */
  suffix: string;
}

/** The view's state an export is made from. */
export interface ViewState {
  shownLevels: ReadonlySet<LogLevel>;
  /** The search, as the view matches it (lower-cased; the host's match ignores ASCII case too). */
  query: string;
  /** Seqs of the selected lines, ascending. */
  selectedSeqs: readonly number[];
}

/** The filter for the current view, or why there is nothing to export. */
export function exportScope(view: ViewState): ExportScope | string {
  const levels = LOG_LEVELS.filter((l) => view.shownLevels.has(l));
  if (levels.length === 0) return 'Every level is hidden: show a level to export its lines.';
  const levelFilter = levels.length < LOG_LEVELS.length ? { levels } : {};
  const levelWords = levels.length < LOG_LEVELS.length ? ` at levels ${levels.join(', ')}` : '';
  const seqs = view.selectedSeqs;
  if (seqs.length > 0) {
    const from = seqs[0]!;
    const to = seqs[seqs.length - 1]!;
    const what = from === to ? `line ${from}` : `lines ${from}–${to} (the selection’s range)`;
    return { filter: { ...levelFilter, from, to }, description: `Exports ${what}${levelWords}.`, suffix: `lines-${from}-${to}` };
  }
  const q = view.query;
  const search = q ? ` containing “${q}”` : '';
  if (!q && levels.length === LOG_LEVELS.length) return { filter: {}, description: 'Exports every line of this run.', suffix: '' };
  return {
    filter: { ...levelFilter, ...(q ? { q } : {}) },
    description: `Exports the lines of this run${levelWords}${search}.`,
    suffix: 'filtered',
  };
}

/** `sample-app-run-20260101-120000-filtered.log`: letters, digits, dot, dash and underscore only. */
export function exportFileName(name: string, suffix: string, format: ExportFormat, now: Date): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'preview';
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${safe}-${stamp}${suffix ? `-${suffix}` : ''}.${format === 'text' ? 'log' : 'jsonl'}`;
}

export interface ExportViewOptions {
  api: Pick<RunApi, 'exportText' | 'previewName'>;
  bridge: Pick<Bridge, 'mode' | 'saveExport'>;
  view(): ViewState;
  announce(text: string): void;
}

export class ExportView {
  readonly button = h('button', {
    type: 'button',
    class: 'tool',
    title: 'Export the lines shown (filter and search, or the selected lines) as text or JSON Lines',
    'aria-haspopup': 'true',
    'aria-expanded': 'false',
  });
  readonly panel = h('div', { class: 'export-pop', role: 'dialog', 'aria-label': 'Export', hidden: true });
  private readonly scopeEl = h('p', { class: 'export-scope' });
  private readonly statusEl = h('p', { class: 'export-status', role: 'status' });
  private readonly formatButtons: HTMLButtonElement[] = [];
  private busy = false;

  constructor(private readonly opts: ExportViewOptions) {
    setText(this.button, 'Export');
    const where = opts.bridge.mode === 'vscode' ? 'choose where to save it' : 'download it';
    const buttons = h('div', { class: 'export-buttons' });
    for (const [format, label] of [
      ['text', 'Text (.log)'],
      ['jsonl', 'JSON Lines (.jsonl)'],
    ] as const) {
      const b = h(
        'button',
        { type: 'button', class: 'tool export-format', 'data-format': format, title: `Export as ${label} and ${where}` },
        label,
      );
      b.addEventListener('click', () => void this.run(format));
      this.formatButtons.push(b);
      buttons.append(b);
    }
    const close = h('button', { type: 'button', class: 'tool export-close', title: 'Close (Esc)', 'aria-label': 'Close export' }, '✕');
    close.addEventListener('click', () => this.close());
    this.panel.append(h('div', { class: 'export-head' }, h('strong', { text: 'Export' }), close), this.scopeEl, buttons, this.statusEl);
    this.button.addEventListener('click', () => (this.panel.hidden ? this.open() : this.close()));
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.close();
        this.button.focus();
      }
    });
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  open(): void {
    this.panel.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    placeUnder(this.panel, this.button, 420, 'right');
    this.showScope();
    if (!this.busy) this.showStatus('');
    this.formatButtons[0]?.focus();
  }

  close(): void {
    this.panel.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
  }

  /** The scope may change while the panel is open (a click selects a line). */
  showScope(): ExportScope | string {
    const scope = exportScope(this.opts.view());
    setText(this.scopeEl, typeof scope === 'string' ? scope : scope.description);
    // Not disabled while busy: a focused button that turns disabled drops the focus (and Escape with it).
    for (const b of this.formatButtons) b.disabled = typeof scope === 'string';
    this.panel.setAttribute('aria-busy', String(this.busy));
    return scope;
  }

  private async run(format: ExportFormat): Promise<void> {
    const scope = this.showScope();
    if (typeof scope === 'string' || this.busy) return;
    this.busy = true;
    this.showScope();
    this.showStatus('Exporting…');
    try {
      const text = await this.opts.api.exportText(format, scope.filter);
      const lineCount = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lineCount === 0) {
        this.showStatus('Nothing to export: no line of this run matches.', true);
        return;
      }
      const fileName = exportFileName(this.opts.api.previewName ?? 'preview', scope.suffix, format, new Date());
      await this.opts.bridge.saveExport({ fileName, text, format, lineCount });
      const done =
        this.opts.bridge.mode === 'vscode'
          ? `${formatCount(lineCount)} ${lineCount === 1 ? 'line' : 'lines'} ready: choose where to save ${fileName}.`
          : `Downloaded ${fileName} (${formatCount(lineCount)} ${lineCount === 1 ? 'line' : 'lines'}).`;
      this.showStatus(done);
      this.opts.announce(done);
    } catch (err) {
      this.showStatus(`Export failed: ${(err as Error).message}`, true);
    } finally {
      this.busy = false;
      this.showScope();
    }
  }

  private showStatus(text: string, isError = false): void {
    setText(this.statusEl, text);
    this.statusEl.classList.toggle('is-error', isError);
    this.statusEl.setAttribute('role', isError ? 'alert' : 'status');
  }
}
