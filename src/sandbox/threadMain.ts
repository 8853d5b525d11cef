/** Entry of the sandbox thread (thread.ts): starts the emulators, posts their URLs, closes them when told to. */
import { parentPort, workerData } from 'node:worker_threads';
import type { SandboxUrls } from './describe.js';
import type { SandboxThreadOptions } from './thread.js';
import { startSandbox } from './index.js';

const port = parentPort!;
const options = workerData as SandboxThreadOptions;
const sandbox = await startSandbox({ jobDurationMs: options.jobDurationMs });
const urls: SandboxUrls = {
  cycle: { url: sandbox.cycle.url },
  cf: { url: sandbox.cf.url },
  dockercloud: { url: sandbox.dockercloud.url },
};
port.postMessage(urls);
port.once('message', () => {
  void sandbox.close().finally(() => port.close());
});
