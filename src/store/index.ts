/** The sql.js run history (issue 3): open it with `openHistoryStore`, hand it to the host as its RunHistory. */
export { openHistoryStore, type HistoryStore, type HistoryStoreOptions } from './historyStore';
export type { RetentionPolicy } from './messages';
export { DEFAULT_RETENTION } from './retention';
export { DEFAULT_PAGE, MAX_PAGE } from '../shared/historyApi';
export { formatLine } from './exportFormat';
