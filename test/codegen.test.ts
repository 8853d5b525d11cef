import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// The resolver types are committed: a schema change without `npm run codegen` fails the suite here.
it('has generated resolver types that match schema/*.graphql', async () => {
  const run = promisify(execFile);
  const result = await run(
    process.execPath,
    ['node_modules/@graphql-codegen/cli/cjs/bin.js', '--config', 'codegen.yml', '--check'],
    { env: { ...process.env, FORCE_COLOR: '0' } },
  ).then(
    () => ({ stale: false, output: '' }),
    (error: { stdout?: string; stderr?: string }) => ({
      stale: true,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
  expect(result.output, 'run `npm run codegen` and commit src/__generated__').toBe('');
  expect(result.stale).toBe(false);
}, 60_000);
