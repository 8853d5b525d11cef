/**
 * Large multipart uploads without holding them in memory (the body is generated as it is sent), and a gateway
 * process with the production heap flags whose memory can be read from /proc. Shared by bench/uploadFlood.ts and
 * test/reliability/uploadMemory.test.ts.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

export interface UploadAnswer {
  status: number;
  code: string | undefined;
  body: unknown;
  /** From the start of the request to its answer's headers. */
  answeredMs: number;
  /** From the start of the request to the end of its body (or the answer, when the body was cut short). */
  sentMs: number;
}

/** One GraphQL multipart request whose single file (`bytes` long) goes to `variables.<variable>`. */
export async function multipartUpload(
  endpoint: string,
  query: string,
  variables: Record<string, unknown>,
  variable: string,
  bytes: number,
  /** Send Content-Length (false: chunked, so the gateway learns the size only as the bytes arrive). */
  declareLength = true,
): Promise<UploadAnswer> {
  const boundary = `----imagegraph${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    [
      `--${boundary}`,
      'Content-Disposition: form-data; name="operations"',
      '',
      JSON.stringify({ query, variables }),
      `--${boundary}`,
      'Content-Disposition: form-data; name="map"',
      '',
      JSON.stringify({ 0: [`variables.${variable}`] }),
      `--${boundary}`,
      'Content-Disposition: form-data; name="0"; filename="big.tar"',
      'Content-Type: application/octet-stream',
      '',
      '',
    ].join('\r\n'),
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const started = performance.now();
  let sentMs = Number.NaN;
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) controller.enqueue(head);
      if (sent >= bytes) {
        controller.enqueue(tail);
        controller.close();
        sentMs = performance.now() - started;
        return;
      }
      const size = Math.min(CHUNK.length, bytes - sent);
      controller.enqueue(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size));
      sent += size;
    },
  });
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(declareLength ? { 'content-length': String(head.length + bytes + tail.length) } : {}),
      'apollo-require-preflight': 'true',
    },
    body,
    duplex: 'half',
  } as RequestInit);
  const answeredMs = performance.now() - started;
  const parsed = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  if (Number.isNaN(sentMs)) sentMs = performance.now() - started;
  return { status: response.status, code: parsed.errors?.[0]?.extensions?.code, body: parsed, answeredMs, sentMs };
}

export interface HeapFlagGateway {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** `node --max-old-space-size=192 --max-semi-space-size=8 --import tsx src/main.ts` in `dir` (sandbox mode). */
export async function startGatewayWithHeapFlags(dir: string, env: Record<string, string>): Promise<HeapFlagGateway> {
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=192', '--max-semi-space-size=8', '--import', 'tsx', 'src/main.ts'],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start:\n${output}`)), 60_000);
    const check = () => {
      const match = /GraphQL\s+(http:\/\/\S+)\/graphql/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    void exited.then(() => reject(new Error(`the gateway exited:\n${output}`)));
  });
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The process's resident memory now and at its peak (Linux: /proc/<pid>/status VmRSS, VmHWM), in MiB. */
export function processMemory(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: Math.round(kib('VmRSS') / 1024), peakMiB: Math.round(kib('VmHWM') / 1024) };
}
