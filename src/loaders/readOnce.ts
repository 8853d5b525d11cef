/**
 * One read per distinct request within one GraphQL operation: list reads (which DataLoader's by-id keys do not cover)
 * reached through different paths of a selection (`packages { app { packages } }`) share the first one's result.
 *
 * A read's key is the client method and its arguments, which decide the request exactly (the clients are pure in
 * them): equal keys are the same request, and arguments spelled differently at worst read twice. A failed read is
 * shared like an answer, as DataLoader does: one operation sees one outcome per read.
 *
 * Writes: a mutation's root fields run one after another, and what one writes another may read. The memo is
 * forgotten before each root mutation field and when its resolver ends, before its selection is read
 * (forgetReadsAroundMutations): reads after a write are read again.
 */
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

export class ReadOnce {
  readonly #reads = new Map<string, Promise<unknown>>();

  /** The result of the read named `method` with `args`, started by `read` only the first time in this operation. */
  read<T>(method: string, args: readonly unknown[], read: () => Promise<T>): Promise<T> {
    const key = `${method}:${JSON.stringify(args)}`;
    let pending = this.#reads.get(key) as Promise<T> | undefined;
    if (pending === undefined) {
      pending = read();
      this.#reads.set(key, pending);
    }
    return pending;
  }

  forget(): void {
    this.#reads.clear();
  }
}

/** What a context offers so that a mutation can drop the reads memoised before it. */
interface WithReads {
  loaders: { forgetReads(): void };
}

/** Wraps every root mutation field so that the operation's memoised reads are forgotten around it (see above). */
export function forgetReadsAroundMutations(schema: GraphQLSchema): void {
  const mutation = schema.getMutationType();
  if (!mutation || !isObjectType(mutation)) return;
  for (const field of Object.values(mutation.getFields())) {
    const resolve = field.resolve as GraphQLFieldResolver<unknown, WithReads> | undefined;
    if (!resolve) continue;
    field.resolve = async (source, args, context: WithReads, info) => {
      context.loaders.forgetReads();
      try {
        return await resolve(source, args, context, info);
      } finally {
        context.loaders.forgetReads();
      }
    };
  }
}
