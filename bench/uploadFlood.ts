/**
 * Issue 23, finding 8: concurrent large multipart uploads whose operation is invalid, against a gateway process run
 * with the production heap flags (`--max-old-space-size=192 --max-semi-space-size=8`) in sandbox mode. Prints each
 * request's status, code and time to its answer, and the process's RSS before and its peak (VmHWM) after.
 *
 * `npx tsx bench/uploadFlood.ts [--dir <package root>] [--uploads 8] [--mb 60]`
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { multipartUpload, processMemory, startGatewayWithHeapFlags } from './uploadClient.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: fileURLToPath(new URL('..', import.meta.url)) },
    uploads: { type: 'string', default: '8' },
    mb: { type: 'string', default: '60' },
  },
});
const uploads = Number(values.uploads);
const bytes = Number(values.mb) * 1024 * 1024;

// Invalid: `nosuchField` is not in the schema.
const INVALID = 'mutation($f: Upload) { nosuchField(bits: $f) }';

const gateway = await startGatewayWithHeapFlags(values.dir!, {});
try {
  const before = processMemory(gateway.pid);
  console.log(`gateway pid ${gateway.pid}: RSS before ${before.rssMiB} MiB`);
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: uploads }, () => multipartUpload(`${gateway.url}/graphql`, INVALID, { f: null }, 'f', bytes)),
  );
  const after = processMemory(gateway.pid);
  for (const [i, answer] of answers.entries())
    console.log(
      `  upload ${i + 1}: HTTP ${answer.status} ${answer.code}, answered after ${answer.answeredMs.toFixed(0)} ms, body sent after ${answer.sentMs.toFixed(0)} ms`,
    );
  console.log(
    `${uploads} × ${values.mb} MB in ${(performance.now() - started).toFixed(0)} ms; RSS now ${after.rssMiB} MiB, peak ${after.peakMiB} MiB`,
  );
} finally {
  await gateway.stop();
}
