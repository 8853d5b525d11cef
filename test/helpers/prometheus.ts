/** Scrapes a Prometheus text exposition and reads series from it (enough of the format for the gateway's metrics). */

export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  status: number;
  contentType: string | null;
  text: string;
  series: Series[];
  /** The value of the one series with this name and exactly these labels, or undefined. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Sum of every series with this name whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
}

const LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Series[] {
  const series: Series[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL))
      labels[key!] = raw!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    series.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return series;
}

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  const series = response.ok ? parseExposition(text) : [];
  const includes = (s: Series, labels: Record<string, string>) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    series,
    value(name, labels = {}) {
      const found = series.filter(
        (s) => s.name === name && Object.keys(s.labels).length === Object.keys(labels).length && includes(s, labels),
      );
      if (found.length > 1) throw new Error(`${name}: ${found.length} series match`);
      return found[0]?.value;
    },
    sum: (name, labels = {}) =>
      series.filter((s) => s.name === name && includes(s, labels)).reduce((total, s) => total + s.value, 0),
  };
}
