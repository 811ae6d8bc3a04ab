import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Disposable } from '../common/disposable';
import type { HistoryStats } from '../shared/historyApi';

/** `GET /api/stats`: what the benchmark reads to show the host's own cost. */
export interface HostStats {
  rssBytes: number;
  heapUsedBytes: number;
  /** Event-loop delay since the last reset, in ms. */
  eventLoopDelay: { p50: number; p99: number; max: number };
  /** The history store's queue and file writes; absent when the host keeps no history. */
  history?: HistoryStats;
}

/** Samples the event loop's delay (1 ms resolution: a coarser one adds its own step to every reading) from creation on. */
export class HostStatsMonitor implements Disposable {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });

  constructor() {
    this.histogram.enable();
  }

  read(reset = false): HostStats {
    const h = this.histogram;
    const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;
    const stats: HostStats = {
      rssBytes: process.memoryUsage.rss(),
      heapUsedBytes: process.memoryUsage().heapUsed,
      eventLoopDelay: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) },
    };
    if (reset) h.reset();
    return stats;
  }

  dispose(): void {
    this.histogram.disable();
  }
}
