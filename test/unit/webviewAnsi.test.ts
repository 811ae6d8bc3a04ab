import assert from 'node:assert/strict';
import { ansiToRuns, paletteColour, stripAnsi } from '../../webview-ui/ansi';
import { buildPieces, findMatches } from '../../webview-ui/rowModel';

const E = '\x1b[';

describe('webview ANSI → runs', () => {
  const table: { name: string; text: string; runs: ReturnType<typeof ansiToRuns> }[] = [
    { name: 'plain text', text: 'hello', runs: [{ text: 'hello' }] },
    { name: 'empty', text: '', runs: [] },
    { name: 'a colour and a reset', text: `${E}31mred${E}0m plain`, runs: [{ text: 'red', fg: 'var(--ph-ansi-red)' }, { text: ' plain' }] },
    { name: 'bold + bright colour', text: `${E}1;92mok${E}0m`, runs: [{ text: 'ok', fg: 'var(--ph-ansi-bright-green)', bold: true }] },
    {
      name: 'background',
      text: `${E}41;97m X ${E}0m`,
      runs: [{ text: ' X ', fg: 'var(--ph-ansi-bright-white)', bg: 'var(--ph-ansi-red)' }],
    },
    {
      name: '256 colours',
      text: `${E}38;5;208mo${E}48;5;17mb`,
      runs: [
        { text: 'o', fg: 'rgb(255, 135, 0)' },
        { text: 'b', fg: 'rgb(255, 135, 0)', bg: 'rgb(0, 0, 95)' },
      ],
    },
    { name: 'palette 0–15 follow the theme', text: `${E}38;5;9mx`, runs: [{ text: 'x', fg: 'var(--ph-ansi-bright-red)' }] },
    { name: 'truecolor', text: `${E}38;2;1;2;3mt`, runs: [{ text: 't', fg: 'rgb(1, 2, 3)' }] },
    { name: 'decorations', text: `${E}2;3;4;9mx`, runs: [{ text: 'x', dim: true, italic: true, underline: true, strike: true }] },
    {
      name: 'reverse of the default colours uses the theme',
      text: `${E}7mrev`,
      runs: [{ text: 'rev', fg: 'var(--ph-bg)', bg: 'var(--ph-fg)' }],
    },
    { name: 'cursor moves and erase are dropped', text: `a${E}2K${E}1Gb${E}?25lc`, runs: [{ text: 'abc' }] },
    { name: 'OSC 8 hyperlink keeps only its text', text: '\x1b]8;;http://x\x07link\x1b]8;;\x07!', runs: [{ text: 'link!' }] },
    { name: 'charset select, BEL and CR vanish', text: 'a\x1b(Bb\x07c\rd', runs: [{ text: 'abcd' }] },
    { name: 'tab is kept', text: `${E}1ma\tb`, runs: [{ text: 'a\tb', bold: true }] },
    {
      name: 'markup stays text',
      text: `${E}31m<img src=x onerror=alert(1)>${E}0m`,
      runs: [{ text: '<img src=x onerror=alert(1)>', fg: 'var(--ph-ansi-red)' }],
    },
  ];
  for (const c of table) {
    it(c.name, () => {
      assert.deepEqual(ansiToRuns(c.text), c.runs);
      assert.equal(stripAnsi(c.text), c.runs.map((r) => r.text).join(''), 'stripAnsi agrees with the runs');
    });
  }

  it('paletteColour covers the cube and the greys, and refuses out-of-range values', () => {
    assert.equal(paletteColour(16), 'rgb(0, 0, 0)');
    assert.equal(paletteColour(231), 'rgb(255, 255, 255)');
    assert.equal(paletteColour(232), 'rgb(8, 8, 8)');
    assert.equal(paletteColour(255), 'rgb(238, 238, 238)');
    assert.equal(paletteColour(256), undefined);
    assert.equal(paletteColour(-1), undefined);
  });
});

describe('webview row pieces (links and matches over styled runs)', () => {
  it('splits a coloured run where a URL starts and ends', () => {
    const { pieces } = buildPieces(`${E}32mINFO${E}0m: on http://127.0.0.1:8000 now`, { locations: true });
    assert.deepEqual(pieces, [
      { text: 'INFO', fg: 'var(--ph-ansi-green)' },
      { text: ': on ' },
      { text: 'http://127.0.0.1:8000', link: { kind: 'url', url: 'http://127.0.0.1:8000' } },
      { text: ' now' },
    ]);
  });

  it('marks search matches inside and across styled runs', () => {
    const { pieces } = buildPieces(`ab${E}31mcd${E}0mef`, { locations: false, query: 'bcde' });
    assert.deepEqual(pieces, [
      { text: 'a' },
      { text: 'b', match: true },
      { text: 'cd', fg: 'var(--ph-ansi-red)', match: true },
      { text: 'e', match: true },
      { text: 'f' },
    ]);
  });

  it('links locations only when asked', () => {
    const text = '  File "/app/main.py", line 42, in read_item';
    assert.equal(
      buildPieces(text, { locations: false }).pieces.some((p) => p.link),
      false,
    );
    const linked = buildPieces(text, { locations: true }).pieces.filter((p) => p.link);
    assert.deepEqual(
      linked.map((p) => p.link),
      [{ kind: 'location', file: '/app/main.py', line: 42 }],
    );
  });

  it('cuts very long lines and says how much was cut', () => {
    const { pieces, truncated } = buildPieces(`${E}31m${'x'.repeat(5000)}`, { locations: false, maxChars: 4000 });
    assert.equal(pieces.map((p) => p.text).join('').length, 4000);
    assert.equal(truncated, 1000);
  });

  it('findMatches is case-insensitive and does not overlap', () => {
    assert.deepEqual(findMatches('aAaA', 'aa'), [
      [0, 2],
      [2, 4],
    ]);
    assert.deepEqual(findMatches('abc', ''), []);
  });
});
