/**
 * One HTTP exchange on an undici pool through its dispatch API, with the response body buffered whole, and a total
 * deadline over headers and body.
 *
 * Why not `Pool.request`: it is built on this same API, and adds a Node Readable stream around every body; a deadline
 * needs an AbortSignal per call with listeners on it. For the small JSON bodies of these upstreams that machinery
 * cost about as much as the rest of the exchange: 80-88 against 44-48 µs of CPU per GET of one image, 269-282 against
 * 223-236 µs for a 20-image page, JSON parsing included (`npm run bench:client`). The gateway needs only the status,
 * the headers and the body's bytes.
 *
 * undici calls its dispatch API less stable than `request` across major versions; the lockfile pins the version.
 * test/unit/exchange.test.ts covers the deadline at each stage and the timer's clearing; test/reliability covers
 * resets, truncated and malformed bodies and undici's own timeouts through the gateway.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export interface BufferedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every byte of the body; empty when there was none. */
  body: Buffer;
}

/** An exchange that ended without a whole response: `cause` is undici's error, or the deadline's TimeoutError. */
export class ExchangeFailed extends Error {
  constructor(
    cause: unknown,
    /** The response status when its headers had arrived (the body then failed), else 0. */
    readonly status: number,
  ) {
    super('upstream exchange failed', { cause });
    this.name = 'ExchangeFailed';
  }
}

/**
 * Sends `options` and resolves with the whole response, whatever its status. Rejects with ExchangeFailed when no
 * whole response arrived: connection or protocol errors, undici's own first-byte and body timeouts, a body that could
 * not be joined into one Buffer, or `totalMs` passing first (the wait for a free pool connection included). The
 * deadline's reason is a DOMException named `TimeoutError`, as `AbortSignal.timeout` gives; its timer is cleared when
 * the exchange ends (an `AbortSignal.timeout` timer cannot be, and lives on for the whole timeout after every answered
 * request).
 */
export function bufferedExchange(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  totalMs: number,
): Promise<BufferedResponse> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let expired: Error | undefined;
    let settled = false;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let length = 0;

    const fail = (cause: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new ExchangeFailed(cause, status));
    };
    const timer = setTimeout(() => {
      expired = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      // The caller is answered now. A request still queued for a connection is aborted when it gets one, and undici
      // then closes that connection (as it did with an AbortSignal), though nothing was written on it.
      controller?.abort(expired);
      fail(expired);
    }, totalMs);
    timer.unref();

    dispatcher.dispatch(options, {
      onRequestStart(started) {
        controller = started;
        if (expired) started.abort(expired);
      },
      onResponseStart(_controller, statusCode, responseHeaders) {
        if (statusCode < 200) return; // 1xx: informational, the final response follows
        status = statusCode;
        headers = responseHeaders;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
        length += chunk.length;
      },
      onResponseEnd() {
        if (settled) return;
        let body: Buffer;
        try {
          body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
        } catch (error) {
          // A body too large for one Buffer (a RangeError). Rejected here rather than through undici, which routes a
          // throw from this callback to onResponseError on a path its own source marks as a possible bad idea.
          fail(error);
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve({ status, headers, body });
      },
      onResponseError(_controller, error) {
        fail(error);
      },
    });
  });
}
