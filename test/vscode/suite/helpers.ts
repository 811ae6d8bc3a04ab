// What the extension suites share: the extension's API, its previews' states and processes, the
// status bar and notifications as the page shows them, and the panel's rows.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { groupMembers as procGroupMembers } from '../../../src/common/procStat';
import type { PreviewHostApi } from '../../../src/extension/extension';
import type { PreviewInfo, PreviewState } from '../../../src/shared/protocol';
import { testBridge, type TestBridge } from '../bridge';
import { waitFor } from './waitFor';

export const EXTENSION_ID = 'preview-host.preview-host';
/** Debian's python3 has fastapi and uvicorn; the first python3 on PATH here may not. */
export const PYTHON = process.env.PREVIEW_HOST_TEST_PYTHON || '/usr/bin/python3';

/** The extension's API (what `activate` returns), activating it if need be. */
export async function previewHostApi(): Promise<PreviewHostApi> {
  const ext = vscode.extensions.getExtension<PreviewHostApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not among the loaded extensions`);
  return ext.isActive ? ext.exports : ext.activate();
}

/** True when the window has these fixture folders open. */
export function workspaceIs(...fixtures: string[]): boolean {
  const names = (vscode.workspace.workspaceFolders ?? []).map((f) => path.basename(f.uri.fsPath));
  return fixtures.every((f) => names.includes(f));
}

/** True when runTests.ts runs `suite` as part of a group: PREVIEW_HOST_TEST_SUITES names it. */
export function runByGroup(suite: string): boolean {
  return (process.env.PREVIEW_HOST_TEST_SUITES ?? '').split(',').includes(suite);
}

/**
 * For a suite's `before`: nothing when `met`. Otherwise the suite skips itself only in runTests.ts's
 * `--workspace=<name>` mode (every suite runs there, and skips those made for another fixture); run
 * by its group, an unmet need is a broken setup and fails instead of passing green.
 */
export function requireSetup(ctx: Mocha.Context, suite: string, met: boolean, need: string): void {
  if (met) return;
  if (runByGroup(suite)) {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => path.basename(f.uri.fsPath)).join(', ') || 'none';
    throw new Error(`suite ${suite} needs ${need}; its group in test/vscode/runTests.ts runs it without (workspace folders: ${folders})`);
  }
  ctx.skip();
}

/** True under the launcher (the web workbench); desktop VS Code has no launcher and no bridge. */
export function underLauncher(): boolean {
  return vscode.env.uiKind === vscode.UIKind.Web;
}

export function folderUri(fixture: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.find((f) => path.basename(f.uri.fsPath) === fixture);
  if (!folder)
    throw new Error(`no workspace folder ${fixture}; folders: ${vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath).join(', ')}`);
  return folder.uri;
}

/** The bridge; a skip of the calling test in desktop VS Code (no bridge there); a failure under the launcher without one. */
export function bridgeOrSkip(ctx: Mocha.Context): TestBridge {
  const bridge = testBridge();
  if (bridge) return bridge;
  if (underLauncher()) throw new Error('no test bridge under the launcher: PREVIEW_HOST_TEST_BRIDGE did not reach the extension host');
  ctx.skip();
}

/** Waits for a preview matching `match` to reach `state`; returns its info. */
export function waitForPreview(
  api: PreviewHostApi,
  match: (p: PreviewInfo) => boolean,
  state: PreviewState | PreviewState[],
  timeoutMs = 30_000,
): Promise<PreviewInfo> {
  const states = Array.isArray(state) ? state : [state];
  return waitFor<PreviewInfo | undefined>(() => api.previews().find((p) => match(p) && states.includes(p.state)), {
    timeoutMs,
    what: `a preview in state ${states.join('/')}`,
  }).then(
    (p) => p as PreviewInfo,
    (err: Error) => {
      const seen = api.previews().map((p) => ({ name: p.name, id: p.id, state: p.state, reason: p.reason }));
      throw new Error(`${err.message}; previews now: ${JSON.stringify(seen)}`);
    },
  );
}

/** Every state each preview name went through, in order, from now on. */
export function recordStates(api: PreviewHostApi): { states(name: string): PreviewState[]; dispose(): void } {
  const seen = new Map<string, PreviewState[]>();
  const note = () => {
    for (const p of api.previews()) {
      const list = seen.get(p.name) ?? [];
      if (list[list.length - 1] !== p.state) list.push(p.state);
      seen.set(p.name, list);
    }
  };
  const sub = api.onDidChange(note);
  return { states: (name) => seen.get(name) ?? [], dispose: () => sub.dispose() };
}

/** Live (non-zombie) processes of a process group, from /proc (Linux, as the launcher runs). */
export function groupMembers(pgid: number): number[] {
  const members = procGroupMembers(pgid);
  if (!members) throw new Error(`groupMembers(${pgid}): /proc can't be read (these suites need Linux)`);
  return members;
}

/** True while `pid` runs (a zombie counts as gone). */
export { isRunning } from '../../../src/common/procStat';

/** The command line of `pid`, for messages. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}

/** A GET from the test (the extension host's Node), as a person's browser would make. */
export async function httpGet(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

export interface StatusBarEntry {
  id: string;
  text: string;
  /** Codicon classes in it, e.g. codicon-loading codicon-modifier-spin. */
  icons: string[];
  ariaLabel: string;
}

/** The status bar items as the page shows them. */
export function statusBarEntries(bridge: TestBridge): Promise<StatusBarEntry[]> {
  return bridge.evalInPage<StatusBarEntry[]>(`() => [...document.querySelectorAll('.part.statusbar .statusbar-item')].map((e) => ({
    id: e.id,
    text: (e.textContent || '').replace(/\\s+/g, ' ').trim(),
    icons: [...e.querySelectorAll('.codicon')].map((c) => c.className),
    ariaLabel: e.getAttribute('aria-label') || e.querySelector('[aria-label]')?.getAttribute('aria-label') || '',
  }))`);
}

/** The notification toasts the page shows now: their message and button labels. */
export function notifications(bridge: TestBridge): Promise<{ message: string; buttons: string[]; links: string[] }[]> {
  return bridge.evalInPage(`() => [...document.querySelectorAll('.notifications-toasts .notification-list-item')].map((e) => ({
    message: (e.querySelector('.notification-list-item-message')?.textContent || '').trim(),
    buttons: [...e.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((b) => (b.textContent || '').trim()),
    links: [...e.querySelectorAll('.notification-list-item-message a')].map((a) => a.getAttribute('href') || ''),
  }))`);
}

/** Clicks a notification's button by its label (as a person would). */
export async function clickNotificationButton(bridge: TestBridge, messagePart: string, label: string): Promise<void> {
  const clicked = await bridge.evalInPage<boolean>(`() => {
    for (const e of document.querySelectorAll('.notifications-toasts .notification-list-item')) {
      if (!(e.querySelector('.notification-list-item-message')?.textContent || '').includes(${JSON.stringify(messagePart)})) continue;
      for (const b of e.querySelectorAll('.notification-list-item-buttons-container .monaco-button')) {
        if ((b.textContent || '').trim() === ${JSON.stringify(label)}) { b.click(); return true; }
      }
    }
    return false;
  }`);
  if (!clicked) throw new Error(`no notification containing ${JSON.stringify(messagePart)} with a button ${JSON.stringify(label)}`);
}

/** Closes every notification toast (so the next screenshot shows the panel, not old toasts). */
export async function clearNotifications(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
}

export interface PanelRow {
  className: string;
  badge: string;
  /** The badge's title: the level a dot stands for (a line that starts with its level word gets a dot, not the word again). */
  badgeTitle: string;
  text: string;
  /** The badge's computed colour: the level colour. */
  badgeColor: string;
  links: { className: string; text: string }[];
}

/** The rows the panel of `title` has in its DOM now (the visible part of the virtual list). */
export function panelRows(bridge: TestBridge, title: string): Promise<PanelRow[]> {
  return bridge.evalInWebview<PanelRow[]>(
    `() => [...document.querySelectorAll('.scroller .row:not(.probe)')].filter((r) => r.querySelector('.msg')).map((r) => ({
      className: r.className,
      badge: (r.querySelector('.badge')?.textContent || '').trim(),
      badgeTitle: r.querySelector('.badge')?.getAttribute('title') || '',
      text: r.querySelector('.msg')?.textContent || '',
      badgeColor: getComputedStyle(r.querySelector('.badge')).color,
      links: [...r.querySelectorAll('a.link')].map((a) => ({ className: a.className, text: a.textContent || '' })),
    }))`,
    { titleContains: title },
  );
}

/** Waits until the panel of `title` shows a row whose text contains `text`; returns the rows. */
export function waitForPanelText(bridge: TestBridge, title: string, text: string, timeoutMs = 15_000): Promise<PanelRow[]> {
  let last: PanelRow[] = [];
  return waitFor(
    async () => {
      last = await panelRows(bridge, title);
      return last;
    },
    {
      until: (rows) => rows.some((r) => r.text.includes(text)),
      timeoutMs,
      intervalMs: 50,
      what: `${JSON.stringify(text)} in the panel "${title}"`,
    },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\nrows shown: ${last.map((r) => `[${r.badge}] ${r.text}`).join('\n')}`);
  });
}

/** The config the panel's page was rendered with (its stream URL and preview id). */
export function panelConfig(bridge: TestBridge, title: string): Promise<{ streamUrl: string; previewId: string }> {
  return bridge.evalInWebview(`() => JSON.parse(document.getElementById('preview-host-config').textContent)`, { titleContains: title });
}

/** Stops every preview of the window and waits until none runs. */
export async function stopAll(api: PreviewHostApi): Promise<void> {
  for (const p of api.previews()) {
    if (p.state === 'starting' || p.state === 'ready') await vscode.commands.executeCommand('previewHost.stop', p.id);
  }
  await waitFor(() => api.previews().every((p) => p.state !== 'starting' && p.state !== 'ready'), { what: 'every preview to stop' });
}

export interface QuickPickView {
  visible: boolean;
  title: string;
  /** Each row's label, detail and description as shown. */
  items: { label: string; detail: string; description: string }[];
}

/** The quick pick as the page shows it now. */
export function quickPick(bridge: TestBridge): Promise<QuickPickView> {
  return bridge.evalInPage<QuickPickView>(`() => {
    const w = document.querySelector('.quick-input-widget');
    const visible = !!w && getComputedStyle(w).display !== 'none';
    const text = (e) => (e?.textContent || '').replace(/\\s+/g, ' ').trim();
    return {
      visible,
      title: visible ? text(w.querySelector('.quick-input-title')) : '',
      items: visible ? [...w.querySelectorAll('.quick-input-list .monaco-list-row')].map((r) => ({
        label: text(r.querySelector('.quick-input-list-label .label-name')),
        detail: text(r.querySelector('.quick-input-list-label-meta')),
        description: text(r.querySelector('.label-description')),
      })) : [],
    };
  }`);
}

/** Waits for the quick pick titled `title` and returns what it shows. */
export function waitForQuickPick(bridge: TestBridge, title: string): Promise<QuickPickView> {
  return waitFor(() => quickPick(bridge), {
    until: (q) => q.visible && q.title.includes(title) && q.items.length > 0,
    what: `the quick pick "${title}"`,
  });
}

/** Picks the quick pick item whose label is `label`, as a person would: type it, press Enter. */
export async function pickQuickPickItem(bridge: TestBridge, label: string): Promise<void> {
  await bridge.type(label);
  await waitFor(() => quickPick(bridge), {
    until: (q) => q.items.length > 0 && q.items[0].label === label,
    what: `the quick pick to filter down to ${JSON.stringify(label)}`,
  });
  await bridge.press('Enter');
}

/** The labels of the action buttons in the editor groups' title bars (e.g. "Stop Preview"). */
export function editorTitleActions(bridge: TestBridge): Promise<string[]> {
  return bridge.evalInPage<string[]>(
    `() => [...document.querySelectorAll('.editor-group-container .editor-actions .action-label')].map((a) => a.getAttribute('aria-label') || a.getAttribute('title') || '')`,
  );
}

/** Clicks the status bar item whose text contains `text`, as a person would. */
export async function clickStatusBarItem(bridge: TestBridge, text: string): Promise<void> {
  const clicked = await bridge.evalInPage<boolean>(`() => {
    for (const e of document.querySelectorAll('.part.statusbar .statusbar-item')) {
      if (!(e.textContent || '').includes(${JSON.stringify(text)})) continue;
      (e.querySelector('.statusbar-item-label') || e).click();
      return true;
    }
    return false;
  }`);
  if (!clicked) throw new Error(`no status bar item with ${JSON.stringify(text)}`);
}
