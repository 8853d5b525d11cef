/**
 * A loopback HTTP proxy that records each request's method, path and headers, then forwards it unchanged to its
 * target (an emulator) and streams the answer back. The emulators' own request logs keep no headers; tests that must
 * see what the gateway sent upstream (e.g. `traceparent`) put this in between, leaving the emulators as they are.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface RecordingProxy {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Where requests go; set before the first one arrives. */
  forwardTo(baseUrl: string): void;
  close(): Promise<void>;
}

export async function startRecordingProxy(): Promise<RecordingProxy> {
  let target: URL | undefined;
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
    if (!target) {
      res.writeHead(502).end('recording proxy: no target');
      return;
    }
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    forwardTo(baseUrl) {
      target = new URL(baseUrl);
    },
    close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}
