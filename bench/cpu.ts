/**
 * How busy the machine was with work that is not the benchmark's: /proc/stat's busy time minus the CPU time of the
 * runner, the sandbox and the gateway (/proc/<pid>/stat), over a measured run. Other processes on these shared cores
 * (a test run in another session, say) slow both sides of a ratio, but not always equally: the share is reported
 * next to the figures. Also the gateway's own CPU time per response, which depends much less than req/s on how much
 * of the shared cores the load generator and the sandbox leave it. Linux only; null elsewhere.
 */
import { readFileSync } from 'node:fs';
import { processTree } from './processes.js';

export interface CpuSnapshot {
  /** All CPUs' time, busy, and used by our processes, in clock ticks. */
  total: number;
  busy: number;
  ours: number;
}

/** A process's /proc/<pid>/stat fields from the state (field 3) on, or null when it cannot be read. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** utime + stime (fields 14 and 15), in clock ticks; 0 for a process that is gone. */
function ownTicks(pid: number): number {
  const fields = statFields(pid);
  return fields ? Number(fields[11]) + Number(fields[12]) : 0;
}

const ticksOf = (pids: number[]) => pids.reduce((a, pid) => a + ownTicks(pid), 0);

/**
 * /proc reports CPU times in USER_HZ clock ticks, which the kernel's ABI keeps at 100 per second on x86-64 and arm64
 * whatever the kernel's own tick rate.
 */
const MICROSECONDS_PER_TICK = 10_000;

/**
 * CPU time (user + system) a process tree has used so far, in microseconds at tick resolution (10 ms), including its
 * reaped children (cutime + cstime, fields 16 and 17: a cluster worker that died and was replaced still counts).
 * Null when any of the processes cannot be read (no /proc, or one exited meanwhile): no figure rather than a low one.
 */
function treeCpuMicroseconds(pids: number[]): number | null {
  let ticks = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (!fields) return null;
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks * MICROSECONDS_PER_TICK;
}

/**
 * The CPU time per response, in µs, that a process and its descendants spent while `load` ran (the tree is read again
 * afterwards, so a worker that replaced another counts). Null when a process could not be read or nothing answered.
 */
export async function treeCpuPerResponse<T extends { responses: number }>(
  pid: number,
  load: () => Promise<T>,
): Promise<{ run: T; cpuUsPerResponse: number | null }> {
  const before = treeCpuMicroseconds(processTree(pid));
  const run = await load();
  const after = treeCpuMicroseconds(processTree(pid));
  return {
    run,
    cpuUsPerResponse: before !== null && after !== null && run.responses > 0 ? (after - before) / run.responses : null,
  };
}

export function cpuSnapshot(pids: number[]): CpuSnapshot | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = ticks[3]! + ticks[4]!;
    return { total, busy: total - idle, ours: ticksOf(pids) };
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
