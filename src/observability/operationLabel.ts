/**
 * Bounded values for the `operation` label of GraphQL metrics. Clients choose operation names, so an unbounded label
 * would let any client grow the gateway's memory and every scrape: the first `max` distinct names are kept, later
 * ones count as `__other__`; a request without a name is `__anonymous__`, and a name that is not a plain GraphQL
 * name of at most 64 characters is `__invalid__`.
 */
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export const ANONYMOUS_OPERATION = '__anonymous__';
export const INVALID_OPERATION = '__invalid__';
export const OTHER_OPERATION = '__other__';

export class OperationLabels {
  readonly #seen = new Set<string>();

  /** @param max distinct operation names kept as labels. */
  constructor(readonly max: number) {}

  label(operationName: string | null | undefined): string {
    if (!operationName) return ANONYMOUS_OPERATION;
    if (this.#seen.has(operationName)) return operationName;
    if (!NAME.test(operationName)) return INVALID_OPERATION;
    if (this.#seen.size >= this.max) return OTHER_OPERATION;
    this.#seen.add(operationName);
    return operationName;
  }
}
