/** The toolbar: level filter buttons with their counts, and the tools (find, first error, time, copy, clear). */
import { LOG_LEVELS, type LogLevel } from '../src/shared/protocol';
import { h, setText } from './dom';
import { formatCount } from './format';

/** What the toolbar's buttons do. */
export interface ToolbarActions {
  toggleLevel(level: LogLevel): void;
  find(): void;
  firstError(): void;
  nextError(): void;
  toggleTime(): void;
  copySelected(): void;
  copyAll(): void;
  clear(): void;
}

/** The toolbar's elements and what they show. */
export class Toolbar {
  readonly element: HTMLElement;
  private readonly levelButtons = new Map<LogLevel, HTMLButtonElement>();
  private readonly timeButton = h(
    'button',
    { type: 'button', class: 'tool', 'aria-pressed': 'false', title: 'Show the time of each line' },
    'Time',
  );
  private readonly copySelButton = h(
    'button',
    { type: 'button', class: 'tool', title: 'Copy the selected lines (click, Shift+click, Ctrl+click to select)' },
    'Copy selected',
  );

  constructor(actions: ToolbarActions) {
    const levels = h('div', { class: 'levels', role: 'group', 'aria-label': 'Levels shown' });
    for (const level of LOG_LEVELS) {
      const b = h('button', { type: 'button', class: `level lv-${level}`, 'aria-pressed': 'true', title: `Show ${level} lines` });
      b.addEventListener('click', () => actions.toggleLevel(level));
      this.levelButtons.set(level, b);
      levels.append(b);
    }
    const tool = (label: string, title: string, action: () => void) => {
      const b = h('button', { type: 'button', class: 'tool', title }, label);
      b.addEventListener('click', action);
      return b;
    };
    this.timeButton.addEventListener('click', () => actions.toggleTime());
    this.copySelButton.addEventListener('click', () => actions.copySelected());
    this.element = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Log tools' },
      levels,
      h('span', { class: 'spacer' }),
      tool('Find', 'Search (Ctrl/Cmd+F)', () => actions.find()),
      tool('First error', 'Jump to the first ERROR entry', () => actions.firstError()),
      tool('Next error', 'Jump to the next ERROR entry (F8; Shift+F8: previous)', () => actions.nextError()),
      this.timeButton,
      this.copySelButton,
      tool('Copy all', 'Copy every line shown', () => actions.copyAll()),
      tool('Clear', 'Clear the view (lines stay in history)', () => actions.clear()),
    );
  }

  /** More tools at the end (Requests, Export). */
  addTools(...tools: HTMLElement[]): void {
    this.element.append(...tools);
  }

  /** Each level button's line count. */
  showLevelCounts(counts: Readonly<Record<LogLevel, number>>): void {
    for (const [level, b] of this.levelButtons) setText(b, `${level} ${formatCount(counts[level])}`);
  }

  /** Which level buttons are pressed. */
  showShownLevels(shown: ReadonlySet<LogLevel>): void {
    for (const [level, b] of this.levelButtons) b.setAttribute('aria-pressed', String(shown.has(level)));
  }

  /** Whether the Time button is pressed. */
  showTimePressed(on: boolean): void {
    this.timeButton.setAttribute('aria-pressed', String(on));
  }

  /** The number of selected lines, on the Copy selected button. */
  showSelectedCount(n: number): void {
    this.copySelButton.textContent = n > 0 ? `Copy selected (${formatCount(n)})` : 'Copy selected';
  }
}
