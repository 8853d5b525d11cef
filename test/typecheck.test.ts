import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// Strict TypeScript over src, test and bench is part of the suite: vitest itself only strips types.
it('type-checks under the strict compiler options', async () => {
  const run = promisify(execFile);
  const output = await run(process.execPath, [
    'node_modules/typescript/bin/tsc',
    '--noEmit',
    '-p',
    'tsconfig.json',
  ]).then(
    () => '',
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
  );
  expect(output).toBe('');
}, 120_000);
