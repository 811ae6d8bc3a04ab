import assert from 'node:assert/strict';
import { LOG_LEVELS, type LogLevel } from '../../src/shared/protocol';
import { exportFileName, exportScope, type ExportScope } from '../../webview-ui/exportView';

const view = (levels: readonly LogLevel[], query = '', selectedSeqs: number[] = []) => ({
  shownLevels: new Set(levels),
  query,
  selectedSeqs,
});

describe('webview exportScope (what Export exports)', () => {
  it('the whole run when nothing is filtered, selected or searched', () => {
    assert.deepEqual(exportScope(view(LOG_LEVELS)), { filter: {}, description: 'Exports every line of this run.', suffix: '' });
  });

  it('the levels shown and the search, level names in the table order', () => {
    assert.deepEqual(exportScope(view(['WARN', 'ERROR'], 'timeout')), {
      filter: { levels: ['ERROR', 'WARN'], q: 'timeout' },
      description: 'Exports the lines of this run at levels ERROR, WARN containing “timeout”.',
      suffix: 'filtered',
    });
    assert.deepEqual((exportScope(view(LOG_LEVELS, 'db')) as ExportScope).filter, { q: 'db' }, 'all levels shown: no level filter');
  });

  it('the selection’s seq range (inclusive) at the levels shown, the search aside', () => {
    assert.deepEqual(exportScope(view(['ERROR', 'INFO'], 'x', [12, 15, 40])), {
      filter: { levels: ['ERROR', 'INFO'], from: 12, to: 40 },
      description: 'Exports lines 12–40 (the selection’s range) at levels ERROR, INFO.',
      suffix: 'lines-12-40',
    });
    assert.deepEqual(exportScope(view(LOG_LEVELS, '', [7])), {
      filter: { from: 7, to: 7 },
      description: 'Exports line 7.',
      suffix: 'lines-7-7',
    });
  });

  it('nothing, with the reason, when every level is hidden', () => {
    assert.equal(exportScope(view([])), 'Every level is hidden: show a level to export its lines.');
  });

  it('names the file after the preview, the time and the scope, with safe characters only', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5);
    assert.equal(exportFileName('sample-app', 'filtered', 'text', at), 'sample-app-20260102-030405-filtered.log');
    assert.equal(exportFileName('npm run dev / web', '', 'jsonl', at), 'npm-run-dev-web-20260102-030405.jsonl');
    assert.equal(exportFileName('../..', 'lines-1-2', 'text', at), 'preview-20260102-030405-lines-1-2.log');
  });
});
