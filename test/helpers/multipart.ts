/**
 * GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec) for upload tests:
 * `operations` with null where each file goes, `map` naming the variable paths, then the files.
 */
import type { GraphQLResponse } from './gateway.js';

export interface UploadFile {
  /** Variable path, e.g. `variables.bits`. */
  path: string;
  content: Uint8Array;
  filename: string;
  type?: string;
}

export async function postMultipart(
  endpoint: string,
  query: string,
  variables: Record<string, unknown>,
  files: readonly UploadFile[],
  headers: Record<string, string> = { 'apollo-require-preflight': 'true' },
): Promise<GraphQLResponse> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables }));
  form.append('map', JSON.stringify(Object.fromEntries(files.map((file, i) => [String(i), [file.path]]))));
  files.forEach((file, i) =>
    form.append(String(i), new Blob([file.content], { type: file.type ?? 'application/zip' }), file.filename),
  );
  const response = await fetch(endpoint, { method: 'POST', body: form, headers });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, headers: response.headers, ...(body as object) } as GraphQLResponse;
}
