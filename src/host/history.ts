// The history seam as the host sees it. The shapes live in src/shared/historyApi.ts, so the store
// (which implements RunHistory) depends on the protocol, not on the host; this module stays for
// the host files that import the seam from here.
export type {
  ExportFilter,
  ExportFormat,
  HistoryStats,
  LineQuery,
  RunEnd,
  RunErrorRecord,
  RunHistory,
  RunStart,
  RunSummary,
} from '../shared/historyApi';
