/**
 * How busy the machine was with work that is not the benchmark's: /proc/stat's busy time minus the CPU time of the
 * runner, the sandbox and the gateway (/proc/<pid>/stat), over a measured run. Other processes on these shared cores
 * (a test run in another session, say) slow both sides of a ratio, but not always equally: the share is reported
 * next to the figures. Also the gateway's own CPU time per response, which, unlike req/s, does not depend on how much
 * of the shared cores the load generator and the sandbox leave it. Linux only; null elsewhere.
 */
import { readFileSync } from 'node:fs';

export interface CpuSnapshot {
  /** All CPUs' time, busy, and used by our processes, in clock ticks. */
  total: number;
  busy: number;
  ours: number;
}

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the state, field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * /proc reports CPU times in USER_HZ clock ticks, which the kernel's ABI keeps at 100 per second on x86-64 and arm64
 * whatever the kernel's own tick rate.
 */
const MICROSECONDS_PER_TICK = 10_000;

/** CPU time (user + system) the processes have used so far, in microseconds, at tick resolution (10 ms). */
export function cpuMicroseconds(pids: number[]): number {
  return pids.reduce((a, pid) => a + processTicks(pid), 0) * MICROSECONDS_PER_TICK;
}

export function cpuSnapshot(pids: number[]): CpuSnapshot | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = ticks[3]! + ticks[4]!;
    return { total, busy: total - idle, ours: pids.reduce((a, pid) => a + processTicks(pid), 0) };
  } catch {
    return null;
  }
}

/** The share of the machine's CPU capacity that other processes used between two snapshots (0 to 1). */
export function foreignShare(before: CpuSnapshot | null, after: CpuSnapshot | null): number | null {
  if (!before || !after || after.total <= before.total) return null;
  const foreign = after.busy - before.busy - (after.ours - before.ours);
  return Math.max(0, foreign / (after.total - before.total));
}
