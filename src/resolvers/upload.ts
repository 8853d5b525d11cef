/** The `Upload` scalar: files of a GraphQL multipart request (http/multipart.ts puts them into the variables). */
import { Readable } from 'node:stream';
import { GraphQLError, GraphQLScalarType } from 'graphql';
import { UploadedFile } from '../http/multipart.js';

function notAnUpload(): never {
  throw new GraphQLError('An Upload comes from a file of a GraphQL multipart request, in a variable', {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

export const Upload = new GraphQLScalarType<UploadedFile, never>({
  name: 'Upload',
  description: 'A file sent with a GraphQL multipart request.',
  parseValue: (value) => (value instanceof UploadedFile ? value : notAnUpload()),
  parseLiteral: () => notAnUpload(),
  serialize: () => {
    throw new GraphQLError('Upload is an input-only scalar');
  },
});

export const uploadResolvers = { Upload };

/**
 * An uploaded file's bytes as a stream, for resolvers that pass an upload on to an upstream (`uploadImage`): they
 * read the file through this, whatever http/multipart.ts keeps of it.
 */
export function uploadStream(file: UploadedFile): Readable {
  return Readable.from([file.content]);
}
