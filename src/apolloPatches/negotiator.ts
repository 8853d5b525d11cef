/**
 * Apollo Server's content negotiation, remembered. Apollo builds a `negotiator` for every request and parses its Accept
 * header once or twice: whether to use the legacy incremental format (on every execution, Accept header or not), and
 * which JSON type to answer with. That is about 7 µs a request (1% of the CPU of a 20-image list) for headers that
 * repeat, client after client. scripts/build.mjs gives Apollo this class in place of `negotiator` in the bundle.
 *
 * Contract: `mediaType(available)` answers what negotiator answers for the same Accept header and list; everything
 * else is negotiator's own. Accept headers up to 1 Ki characters are remembered, with up to 200 answers (the least
 * recently used dropped first): a client sending endless variants costs at most about 0.4 MB.
 */
import Negotiator from 'negotiator';
import { LRUCache } from 'lru-cache';

export const REMEMBERED_ANSWERS = 200;
export const LONGEST_REMEMBERED_ACCEPT = 1024;

/** No answer (nothing in the list is acceptable): `undefined` is not a value an LRUCache can hold. */
const NONE = '';
/** Stands for a request without an Accept header, which negotiator reads as `*∕*` (unlike an empty one). */
const ABSENT = '\u0000';

const answers = new LRUCache<string, string>({ max: REMEMBERED_ANSWERS });

export default class RememberingNegotiator extends Negotiator {
  readonly #accept: string | undefined;

  constructor(request: { headers: { accept?: string | undefined } }) {
    super(request);
    this.#accept = request.headers.accept;
  }

  override mediaType(available?: string[]): string | undefined {
    const accept = this.#accept;
    const rememberable =
      accept === undefined || (typeof accept === 'string' && accept.length <= LONGEST_REMEMBERED_ACCEPT);
    if (available === undefined || !rememberable) return super.mediaType(available);
    const key = `${accept === undefined ? ABSENT : accept}\u0000${available.join('\u0000')}`;
    const remembered = answers.get(key);
    if (remembered !== undefined) return remembered === NONE ? undefined : remembered;
    const answer = super.mediaType(available);
    answers.set(key, answer ?? NONE);
    return answer;
  }
}
