/**
 * Watches a gateway process from outside while something hostile happens to it: its resident memory (sampled from
 * /proc) and how long a bystander's `GET /healthz` waits (polled back to back: the longest wait is, within a poll's
 * round trip, the longest the process's event loop was held).
 */
import { readFileSync } from 'node:fs';

/** Resident memory of `pid` in MB, or null once the process is gone. */
export function rssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}

export interface Watched {
  /** Longest wait of one `/healthz` (ms); a poll still waiting when the watch stops counts with its wait so far. */
  longestHealthzMs: number;
  /** Polls answered 200. */
  healthzAnswered: number;
  peakRssMb: number;
}

/** Starts watching; `stop()` ends the polls and returns what was seen. */
export function watchProcess(url: string, pid: number): { stop(): Promise<Watched> } {
  let running = true;
  let longest = 0;
  let answered = 0;
  let peak = rssMb(pid) ?? 0;
  let pollStarted = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid) ?? 0)), 20);
  const poll = (async () => {
    while (running) {
      pollStarted = performance.now();
      try {
        const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(30_000) });
        await response.arrayBuffer();
        if (response.status === 200) answered++;
      } catch {
        // the process died, or the poll timed out: the longest wait says so
      }
      longest = Math.max(longest, performance.now() - pollStarted);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      const inFlight = performance.now() - pollStarted;
      await Promise.race([poll, new Promise((resolve) => setTimeout(resolve, 100))]);
      clearInterval(sampler);
      return {
        longestHealthzMs: Math.round(Math.max(longest, answered === 0 ? inFlight : 0)),
        healthzAnswered: answered,
        peakRssMb: peak,
      };
    },
  };
}
