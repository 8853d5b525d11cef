/**
 * The `Upload` scalar: files of a GraphQL multipart request (http/multipart.ts puts them into the variables). Its
 * value is an UploadedFile (http/uploadedFile.ts): `read(stream => …)` streams the file within the upload limits,
 * `buffer()` reads it whole.
 */
import { GraphQLError, GraphQLScalarType } from 'graphql';
import { UploadedFile } from '../http/uploadedFile.js';

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
