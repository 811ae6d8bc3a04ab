// Finds a webview's content in the workbench page. A VS Code (1.100) webview is an outer
// <iframe class="webview" name="<webview id>"> (VS Code's host page) holding an inner
// <iframe id="active-frame"> with the extension's HTML; while the HTML is replaced, a second inner
// frame (id "pending-frame") exists for a moment: only the active one counts. The outer iframe
// floats over the workbench in a <div data-parent-flow-to-element-id="webview-editor-element-…">
// that names the placeholder in the editor group (or view pane) showing it: that group's active
// tab (or the pane's header) gives the panel's title. A hidden webview (retainContextWhenHidden)
// has no such title: find it by its document's <title>.

/**
 * @typedef {object} WebviewInfo
 * @property {string} title the panel's title, from its tab (or view pane header); '' when hidden
 * @property {string} documentTitle the content's document.title
 * @property {boolean} visible
 * @property {import('playwright-core').Frame | undefined} frame the content frame, once loaded
 * @property {string[]} innerFrames the outer frame's children (id and URL), for messages
 */

/** @param {import('playwright-core').Page} page @returns {Promise<WebviewInfo[]>} */
export async function listWebviews(page) {
  /** @type {WebviewInfo[]} */
  const out = [];
  const titles = new Map(await page.evaluate(panelTitles).catch(() => []));
  for (const element of await page.$$('iframe.webview')) {
    try {
      const visible = await element.isVisible();
      // A hidden webview's placeholder stays in its group, whose active tab is then another one.
      const title = visible ? (titles.get((await element.getAttribute('name')) ?? '') ?? '') : '';
      const outer = await element.contentFrame();
      let frame;
      const innerFrames = [];
      for (const child of outer?.childFrames() ?? []) {
        const id = await (await child.frameElement()).getAttribute('id');
        innerFrames.push(`${id} ${child.url().slice(0, 120)}`);
        if (id === 'active-frame') frame = child;
      }
      const documentTitle = frame ? await frame.evaluate(() => document.title).catch(() => '') : '';
      out.push({ title, documentTitle, visible, frame, innerFrames });
    } catch {
      // detached while we looked (a panel closing or reloading its HTML)
    }
  }
  return out;
}

/** Runs in the page: [webview id, panel title] for each webview iframe. */
function panelTitles() {
  return [...document.querySelectorAll('iframe.webview')].map((frame) => {
    const placeholderId = /** @type {HTMLElement | null} */ (frame.parentElement)?.dataset.parentFlowToElementId;
    const placeholder = placeholderId ? document.getElementById(placeholderId) : null;
    const label =
      placeholder?.closest('.editor-group-container')?.querySelector('.tab.active .label-name') ??
      placeholder?.closest('.pane')?.querySelector('.pane-header .title');
    return /** @type {[string, string]} */ ([/** @type {HTMLIFrameElement} */ (frame).name, label?.textContent?.trim() ?? '']);
  });
}

/**
 * Waits for the content frame of the webview whose panel title (or document title) contains
 * `titleContains`; without it, the only or the visible webview. Visible ones win ties.
 * @param {import('playwright-core').Page} page
 * @param {{ titleContains?: string, timeoutMs?: number }} [options]
 * @returns {Promise<import('playwright-core').Frame>}
 */
export async function findWebviewFrame(page, { titleContains, timeoutMs = 15000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    /** @type {WebviewInfo[]} */
    const seen = await listWebviews(page);
    const candidates = seen
      .filter((w) => w.frame && !w.frame.isDetached())
      .filter((w) => titleContains === undefined || w.title.includes(titleContains) || w.documentTitle.includes(titleContains))
      .sort((a, b) => Number(b.visible) - Number(a.visible));
    const ambiguous = titleContains === undefined && candidates.filter((w) => w.visible).length > 1;
    if (candidates.length > 0 && !ambiguous) return /** @type {import('playwright-core').Frame} */ (candidates[0].frame);
    if (Date.now() > deadline) {
      const list = seen.map(
        (w) =>
          `${JSON.stringify(w.title)} (document ${JSON.stringify(w.documentTitle)}, ${w.visible ? 'visible' : 'hidden'}` +
          `${w.frame ? '' : `, not loaded; inner frames: ${w.innerFrames.join(', ') || 'none'}`})`,
      );
      throw new Error(
        `no webview ${titleContains === undefined ? '' : `titled with ${JSON.stringify(titleContains)} `}` +
          `${ambiguous ? '(several are visible: pass titleContains) ' : ''}within ${timeoutMs} ms; ` +
          `webviews seen: ${list.length ? list.join('; ') : 'none'}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
