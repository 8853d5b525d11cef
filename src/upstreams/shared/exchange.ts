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
 * The body is bounded (`bodyLimit`, given the response's headers): a declared content-length beyond it is refused
 * before any byte is read, and a body that grows past it is aborted at that byte (undici then closes the connection),
 * so no upstream can make the gateway hold more than that per exchange. The bytes counted are those received:
 * undici's dispatch API does not decompress, and the gateway asks for no compression (httpClient.ts), so no
 * compressed body can expand past the bound later.
 *
 * test/unit/exchange.test.ts covers the deadline at each stage, the timer's clearing and the size bound;
 * test/reliability covers resets, truncated and malformed bodies and undici's own timeouts through the gateway, and
 * test/hostile/upstream.test.ts huge, deep and slow bodies against a gateway process with the production heap.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export interface BufferedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every byte of the body; empty when there was none. */
  body: Buffer;
}

/** A body over the exchange's body limit: declared so by its content-length, or grown past it while it streamed. */
export class ResponseTooLarge extends Error {
  constructor(
    readonly maxBytes: number,
    /** Whether the content-length said so up front (nothing of the body was read). */
    readonly declared: boolean,
  ) {
    super(`the response body is over ${maxBytes} bytes`);
    this.name = 'ResponseTooLarge';
  }
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
 * not be joined into one Buffer, a body over its `bodyLimit` (a ResponseTooLarge cause), or `totalMs` passing first
 * (the wait for a free pool connection included). The deadline's reason is a DOMException named `TimeoutError`, as `AbortSignal.timeout` gives; its timer is cleared when
 * the exchange ends (an `AbortSignal.timeout` timer cannot be, and lives on for the whole timeout after every answered
 * request).
 */
export function bufferedExchange(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  totalMs: number,
  /** The largest body accepted, given the response's headers (archives may be allowed more than JSON). */
  bodyLimit: (headers: IncomingHttpHeaders) => number = () => Number.POSITIVE_INFINITY,
): Promise<BufferedResponse> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let expired: Error | undefined;
    let settled = false;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let chunks: Buffer[] = [];
    let length = 0;
    let maxBytes = Number.POSITIVE_INFINITY;

    const fail = (cause: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      chunks = []; // nothing of a failed body outlives its failure (undici may hold this handler a while longer)
      reject(new ExchangeFailed(cause, status));
    };
    const tooLarge = (exchange: Dispatcher.DispatchController, declared: boolean) => {
      const error = new ResponseTooLarge(maxBytes, declared);
      fail(error);
      exchange.abort(error);
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
      onResponseStart(exchange, statusCode, responseHeaders) {
        if (statusCode < 200) return; // 1xx: informational, the final response follows
        status = statusCode;
        headers = responseHeaders;
        maxBytes = bodyLimit(responseHeaders);
        const declared = Number(responseHeaders['content-length']);
        if (declared > maxBytes) tooLarge(exchange, true);
      },
      onResponseData(exchange, chunk) {
        if (settled) return;
        length += chunk.length;
        if (length > maxBytes) {
          tooLarge(exchange, false);
          return;
        }
        chunks.push(chunk);
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
