/**
 * Issue 23, finding 5: `variables: {y: [[[…]]]}` 500,000 levels deep (about 1 MB) against a gateway process with the
 * production heap flags (sandbox mode). Prints each answer's status and code, and the gateway process's CPU time per
 * request (/proc utime + stime, 10 ms ticks: averaged over the rounds), which is its main thread's work.
 *
 * `npx tsx bench/nestedVariables.ts [--dir <package root>] [--rounds 10]`
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startGatewayWithHeapFlags } from './uploadClient.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: fileURLToPath(new URL('..', import.meta.url)) },
    rounds: { type: 'string', default: '10' },
    depth: { type: 'string', default: '500000' },
    /** `flat`: a string of the same size instead, for comparison (what any body of that size costs). */
    shape: { type: 'string', default: 'nested' },
    /** Seconds of two attackers looping the request while a bystander sends `{ __typename }` (0: skip). */
    bystander: { type: 'string', default: '5' },
  },
});
const rounds = Number(values.rounds);
const depth = Number(values.depth);

/** The process's CPU time so far, in ms (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const gateway = await startGatewayWithHeapFlags(values.dir!, {});
try {
  const value = values.shape === 'flat' ? `"${'a'.repeat(2 * depth)}"` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const body = `{"query":"{ __typename }","variables":{"y":${value}}}`;
  const statuses = new Map<string, number>();
  // One ordinary request first: start-up work is not counted.
  await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"query":"{ __typename }"}',
  });
  const cpuBefore = cpuMs(gateway.pid);
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    const key = `HTTP ${response.status} ${/"code":"(\w+)"/.exec(text)?.[1]}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
  const cpu = (cpuMs(gateway.pid) - cpuBefore) / rounds;
  const wall = (performance.now() - started) / rounds;
  console.log(
    `${depth} levels, ${body.length} bytes, ${rounds} requests: ${[...statuses].map(([k, n]) => `${n} × ${k}`).join(', ')}`,
  );
  console.log(`gateway CPU per request ${cpu.toFixed(0)} ms; wall per request ${wall.toFixed(0)} ms`);
  const seconds = Number(values.bystander);
  if (seconds > 0) {
    const latencies = async (until: number) => {
      const times: number[] = [];
      while (performance.now() < until) {
        const sent = performance.now();
        await (
          await fetch(`${gateway.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"query":"{ __typename }"}',
          })
        ).text();
        times.push(performance.now() - sent);
      }
      return times.sort((a, b) => a - b);
    };
    // Attackers in processes of their own: their sending must not slow the bystander's event loop.
    const attack = (ms: number) =>
      new Promise<void>((resolve) => {
        const valueCode =
          values.shape === 'flat'
            ? `'"' + 'a'.repeat(${2 * depth}) + '"'`
            : `'['.repeat(${depth}) + ']'.repeat(${depth})`;
        const script = `const body = '{"query":"{ __typename }","variables":{"y":' + ${valueCode} + '}}';
          const until = Date.now() + ${ms};
          (async () => { while (Date.now() < until) await (await fetch('${gateway.url}/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text(); })();`;
        spawn(process.execPath, ['-e', script], { stdio: 'ignore' }).once('close', () => resolve());
      });
    const quiet = await latencies(performance.now() + seconds * 1000);
    const until = performance.now() + seconds * 1000;
    const [attacked] = await Promise.all([latencies(until), attack(seconds * 1000), attack(seconds * 1000)]);
    const p50 = (times: number[]) => times[Math.floor(times.length / 2)]!.toFixed(1);
    console.log(
      `bystander p50: ${p50(quiet)} ms alone (${quiet.length} requests), ${p50(attacked)} ms while two clients loop it (${attacked.length} requests)`,
    );
  }
} finally {
  await gateway.stop();
}
