/**
 * One file of a GraphQL multipart request, as resolvers receive it (the `Upload` scalar's value). The file is not read
 * before a resolver asks for it: `read(consume)` hands over a Readable of its bytes as they arrive from the client,
 * with back-pressure, and fails it with PAYLOAD_TOO_LARGE as soon as the file passes UPLOAD_MAX_FILE_BYTES (or the
 * request passes UPLOAD_MAX_BYTES); `buffer()` reads it whole into memory, within the same limits.
 *
 * A file can be read once. Files arrive in the order the client sent them: a file nobody has asked for yet holds the
 * request back (back-pressure), except while a resolver waits for a later file, when it is kept in memory (within the
 * limits) so that the later one can arrive. What no resolver read is discarded once the response is sent.
 */
import { PassThrough, type Readable } from 'node:stream';
import { GraphQLError } from 'graphql';

export interface UploadInfo {
  filename: string;
  mimeType: string;
}

/** The bytes of one file, with what the client said of it. */
export type UploadStream = Readable & UploadInfo;

/** What a file needs of the request it arrives in (multipart.ts). */
export interface UploadHost {
  /** A resolver asked for `file`: files in front of it that nobody asked for must not hold it back. */
  claimed(file: UploadedFile): void;
  /** Whether a resolver waits for a file that has not arrived yet. */
  someoneWaits(): boolean;
  /** Counts bytes against the request's limit; false once it is passed. */
  count(bytes: number): boolean;
}

export function uploadTooLarge(limitBytes: number, setting: string, what: string): GraphQLError {
  return new GraphQLError(`${what} may hold at most ${limitBytes} bytes (${setting})`, {
    extensions: { code: 'PAYLOAD_TOO_LARGE', setting, max: limitBytes, http: { status: 413 } },
  });
}

export function uploadFailed(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

type State =
  | { kind: 'waiting' }
  | { kind: 'held'; source: Readable }
  | {
      kind: 'buffering';
      source: Readable;
      chunks: Buffer[];
      ended: boolean;
      onData: (chunk: Buffer) => void;
      onEnd: () => void;
    }
  | { kind: 'reading'; out: PassThrough }
  | { kind: 'done' };

export class UploadedFile {
  #info: UploadInfo | undefined;
  #state: State = { kind: 'waiting' };
  #claimed = false;
  #failure: GraphQLError | null = null;
  readonly #arrived: Promise<void>;
  #arrive!: () => void;
  #fail!: (error: GraphQLError) => void;

  constructor(
    /** The file's name in `map` (`"0"`). */
    readonly key: string,
    private readonly host: UploadHost,
    private readonly maxFileBytes: number,
  ) {
    this.#arrived = new Promise<void>((resolve, reject) => {
      this.#arrive = resolve;
      this.#fail = reject;
    });
    // A file nobody reads fails without an unhandled rejection.
    this.#arrived.catch(() => undefined);
  }

  /** The client's file name; the `map` key until the file has arrived. */
  get filename(): string {
    return this.#info?.filename ?? this.key;
  }

  get mimeType(): string {
    return this.#info?.mimeType ?? 'application/octet-stream';
  }

  /** Whether a resolver asked for the file and has not got it yet. */
  get waiting(): boolean {
    return this.#claimed && this.#state.kind === 'waiting' && this.#failure === null;
  }

  /** Whether the file's part has begun to arrive. */
  get attached(): boolean {
    return this.#info !== undefined;
  }

  get unclaimed(): boolean {
    return !this.#claimed;
  }

  /**
   * Runs `consume` over the file's bytes as they arrive; when it settles, whatever it left unread is discarded. The
   * stream fails with PAYLOAD_TOO_LARGE past the limits, or BAD_USER_INPUT when the client's request is cut short.
   */
  async read<T>(consume: (stream: UploadStream) => Promise<T>): Promise<T> {
    const stream = await this.open();
    try {
      return await consume(stream);
    } finally {
      if (!stream.readableEnded) stream.destroy();
    }
  }

  /** The whole file, read into memory within the limits. */
  async buffer(): Promise<{ content: Buffer } & UploadInfo> {
    return this.read(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return { content: Buffer.concat(chunks), filename: stream.filename, mimeType: stream.mimeType };
    });
  }

  /** The file's stream; the caller must read it to its end or destroy it. Prefer `read`. */
  async open(): Promise<UploadStream> {
    if (this.#claimed) throw uploadFailed(`The file \`${this.key}\` can be read only once`);
    this.#claimed = true;
    this.host.claimed(this);
    await this.#arrived;
    // Failed between its arrival and now (a limit, the end of the response).
    if (this.#failure) throw this.#failure;
    const out = new PassThrough() as PassThrough & UploadInfo;
    // A limit can fail the stream while its reader is not listening (between reads, or after it stopped): the reader
    // sees the error through its own read; unheard, it must not become an uncaught exception.
    out.on('error', () => undefined);
    out.filename = this.filename;
    out.mimeType = this.mimeType;
    const state = this.#state;
    if (state.kind === 'held' || state.kind === 'buffering') {
      if (state.kind === 'buffering') {
        state.source.off('data', state.onData).off('end', state.onEnd);
        for (const chunk of state.chunks) out.write(chunk);
      }
      if (state.kind === 'buffering' && state.ended) {
        out.end();
        this.#state = { kind: 'done' };
      } else {
        this.#state = { kind: 'reading', out };
        this.#flow(state.source, out);
      }
    }
    // Destroyed by its reader: the rest of the file is discarded, and the request goes on.
    out.once('close', () => {
      if (this.#state.kind === 'reading' && this.#state.out === out) this.#discardSource();
    });
    return out;
  }

  /** The file's part has begun to arrive (multipart.ts). */
  attach(source: Readable, info: UploadInfo): void {
    this.#info = info;
    if (this.#failure) {
      source.resume();
      return;
    }
    this.#source = source;
    source.once('limit', () =>
      this.fail(uploadTooLarge(this.maxFileBytes, 'UPLOAD_MAX_FILE_BYTES', `One uploaded file`)),
    );
    source.once('error', () => this.fail(uploadFailed('The upload was cut short before the file ended')));
    source.pause();
    this.#state = { kind: 'held', source };
    this.#arrive();
    if (!this.#claimed && this.host.someoneWaits()) this.holdInMemory();
  }

  #source: Readable | undefined;

  /** Unclaimed, it stops holding the request back: its bytes are kept in memory until it is claimed. */
  holdInMemory(): void {
    const state = this.#state;
    if (state.kind !== 'held' || this.#claimed) return;
    const chunks: Buffer[] = [];
    const buffering: Extract<State, { kind: 'buffering' }> = {
      kind: 'buffering',
      source: state.source,
      chunks,
      ended: false,
      onData: (chunk) => {
        if (this.host.count(chunk.length)) chunks.push(chunk);
      },
      onEnd: () => (buffering.ended = true),
    };
    this.#state = buffering;
    state.source.on('data', buffering.onData).once('end', buffering.onEnd);
    state.source.resume();
  }

  #flow(source: Readable, out: PassThrough): void {
    source.on('data', (chunk: Buffer) => {
      if (this.#state.kind !== 'reading' || this.#state.out !== out || !this.host.count(chunk.length)) return;
      if (!out.write(chunk)) source.pause();
    });
    out.on('drain', () => source.resume());
    source.once('end', () => {
      if (this.#state.kind === 'reading' && this.#state.out === out) {
        this.#state = { kind: 'done' };
        // A truncated file (past its limit) has failed its reader already.
        if (!out.destroyed) out.end();
      }
    });
    source.resume();
  }

  /** Fails whoever reads or will read the file, and discards the rest of it. */
  fail(error: GraphQLError): void {
    if (this.#failure || this.#state.kind === 'done') return;
    this.#failure = error;
    const state = this.#state;
    if (state.kind === 'reading') state.out.destroy(error);
    this.#fail(error);
    this.#discardSource();
  }

  /** The request is over for this file (its response was sent, or the request failed): nothing more is kept. */
  discard(): void {
    this.fail(uploadFailed(`The file \`${this.key}\` was not read before the response`));
  }

  #discardSource(): void {
    const source = this.#source;
    const state = this.#state;
    this.#state = { kind: 'done' };
    if (!source) return;
    if (state.kind === 'buffering') source.off('data', state.onData);
    // The reader's data listener checks the state: from here on, the bytes go nowhere.
    source.resume();
  }

  /** Never the bytes: dumps and logs see the name and type only. */
  toJSON(): UploadInfo {
    return { filename: this.filename, mimeType: this.mimeType };
  }
}
