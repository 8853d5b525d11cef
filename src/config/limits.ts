import { int, setting } from './setting.js';

/** Bounds on what one request may ask for: the operation's shape, its body and its variables. */

export const MAX_QUERY_DEPTH = setting({
  name: 'MAX_QUERY_DEPTH',
  type: int({ min: 1, max: 1000 }),
  default: 15,
  example: '10',
  description: 'deepest field nesting (`QUERY_TOO_DEEP`)',
});
export const MAX_ALIASES = setting({
  name: 'MAX_ALIASES',
  type: int({ min: 0, max: 10_000 }),
  default: 30,
  example: '10',
  description: 'aliases per operation (`TOO_MANY_ALIASES`)',
});
export const MAX_DIRECTIVES = setting({
  name: 'MAX_DIRECTIVES',
  type: int({ min: 0, max: 10_000 }),
  default: 50,
  example: '20',
  description: 'directives per operation (`TOO_MANY_DIRECTIVES`)',
});
export const MAX_TOKENS = setting({
  name: 'MAX_TOKENS',
  type: int({ min: 10, max: 1_000_000 }),
  default: 5_000,
  example: '2000',
  description: 'lexical tokens per document (`TOO_MANY_TOKENS`)',
});
export const MAX_QUERY_COST = setting({
  name: 'MAX_QUERY_COST',
  type: int({ min: 1, max: 100_000_000 }),
  default: 10_000,
  example: '5000',
  description: 'estimated objects an operation may return, `first` multiplied through (`QUERY_TOO_COMPLEX`)',
});
export const MAX_BODY_BYTES = setting({
  name: 'MAX_BODY_BYTES',
  type: int({ min: 1024, max: 1024 * 1024 * 1024 }),
  default: 1024 * 1024,
  example: '262144',
  description:
    'largest JSON request body: 413 when its declared length is beyond, and the connection reset as soon as a chunked body passes it',
});
export const MAX_BATCH_OPERATIONS = setting({
  name: 'MAX_BATCH_OPERATIONS',
  type: int({ min: 1, max: 1000 }),
  default: 10,
  example: '`1` (no batching)',
  description: 'operations in one batched (JSON array) request',
});
export const MAX_VARIABLES_DEPTH = setting({
  name: 'MAX_VARIABLES_DEPTH',
  type: int({ min: 1, max: 1000 }),
  default: 32,
  example: '16',
  description:
    "deepest nesting of one variable's value (and of `extensions`); checked on the body's bytes before it is parsed (`BAD_USER_INPUT`, 400)",
});
export const MAX_VARIABLES_NODES = setting({
  name: 'MAX_VARIABLES_NODES',
  type: int({ min: 1, max: 10_000_000 }),
  default: 100_000,
  example: '20000',
  description:
    "values (objects, lists, scalars) in one operation's variables (`BAD_USER_INPUT`, 400); a router's `_entities` fetch needs about 3 per representation",
});
/** Most representations in one `_entities` fetch; a router's batch up to it is costed by its upstream calls. */
export const MAX_ENTITY_REPRESENTATIONS = setting({
  name: 'MAX_ENTITY_REPRESENTATIONS',
  type: int({ min: 1, max: 1_000_000 }),
  default: 10_000,
  example: '2000',
  description:
    'representations in one federation `_entities` fetch (`TOO_MANY_REPRESENTATIONS`; [docs/federation.md](docs/federation.md))',
});

export const limitSettings = [
  MAX_QUERY_DEPTH,
  MAX_ALIASES,
  MAX_DIRECTIVES,
  MAX_TOKENS,
  MAX_QUERY_COST,
  MAX_BODY_BYTES,
  MAX_BATCH_OPERATIONS,
  MAX_VARIABLES_DEPTH,
  MAX_VARIABLES_NODES,
  MAX_ENTITY_REPRESENTATIONS,
];
