/**
 * Where a `--cpu-prof` profile spends its time:
 *   npx tsx bench/profile.ts bench/results/<file>.cpuprofile [top] [--callers <text>]
 * Prints self time by area (package, gateway source file, Node internals, GC, idle), the top functions by self time,
 * and the top functions by inclusive time (each sample counted once per function on its stack). With `--callers`,
 * also the call paths (three frames up) that lead to the functions whose label contains <text>.
 * The V8 profiler samples wall time: a thread preempted inside a syscall (e.g. `writev` on a busy 2-core machine)
 * is charged to that syscall.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function area(url: string, name: string): string {
  if (name === '(garbage collector)' || name === '(idle)' || name === '(program)') return name;
  if (!url) return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const src = /\/(src|bench)\/(.+)$/.exec(url);
  return src ? `${src[1]}/${src[2]}` : url;
}

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/(src|bench)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
};

function main(): void {
  const args = process.argv.slice(2);
  const callersAt = args.indexOf('--callers');
  const callersOf = callersAt >= 0 ? args.splice(callersAt, 2)[1] : undefined;
  const [file, topRaw] = args;
  if (!file) throw new Error('usage: npx tsx bench/profile.ts <file.cpuprofile> [top]');
  const top = Number(topRaw ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const idle = [...self]
    .filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)')
    .reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
  const print = (title: string, entries: [string, number][]) => {
    console.log(`\n${title}`);
    for (const [name, t] of entries.sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`  ${pct(t)}  ${(t / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  };

  console.log(
    `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(idle / 1e6).toFixed(1)} s idle; percentages are of the ${(busy / 1e6).toFixed(1)} s busy`,
  );
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, t] of self) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    const a = area(node.callFrame.url, node.callFrame.functionName);
    areas.set(a, (areas.get(a) ?? 0) + t);
    functions.set(label(node), (functions.get(label(node)) ?? 0) + t);
  }
  print('Self time by area', [...areas]);
  print('Self time by function', [...functions]);

  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    if (byId.get(id)!.callFrame.functionName === '(idle)') return;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (!seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
      }
    }
  });
  inclusive.delete('(root)');
  print('Inclusive time by function', [...inclusive]);

  if (callersOf) {
    const paths = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const dt = profile.timeDeltas[i] ?? 0;
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        if (!label(byId.get(at)!).includes(callersOf)) continue;
        const chain: string[] = [];
        for (let up = parent.get(at); up !== undefined && chain.length < 3; up = parent.get(up))
          chain.push(label(byId.get(up)!));
        const key = `${label(byId.get(at)!)}  <-  ${chain.join('  <-  ')}`;
        paths.set(key, (paths.get(key) ?? 0) + dt);
        break;
      }
    });
    print(`Call paths into "${callersOf}"`, [...paths]);
  }
}

main();
