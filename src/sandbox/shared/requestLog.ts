/** What the emulators record of every upstream request they answer (`GET /__sandbox/requests`). */
export interface LoggedRequest {
  method: string;
  path: string;
  /** The raw query string without `?` (repeated keys kept as sent), or `''`. */
  query: string;
  /** The status sent, or 0 when the connection was reset before a response. */
  status: number;
  durationMs: number;
}

export class RequestLog {
  #entries: LoggedRequest[] = [];

  record(entry: LoggedRequest): void {
    this.#entries.push(entry);
  }

  /** A snapshot; later requests do not change it. */
  entries(): LoggedRequest[] {
    return [...this.#entries];
  }

  reset(): void {
    this.#entries = [];
  }
}
