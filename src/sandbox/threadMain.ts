/** Entry of the sandbox thread (thread.ts): starts the emulators, posts their URLs, closes them when told to. */
import { parentPort } from 'node:worker_threads';
import type { SandboxUrls } from './describe.js';
import { startSandbox } from './index.js';

const port = parentPort!;
const sandbox = await startSandbox();
const urls: SandboxUrls = {
  cycle: { url: sandbox.cycle.url },
  cf: { url: sandbox.cf.url },
  dockercloud: { url: sandbox.dockercloud.url },
};
port.postMessage(urls);
port.once('message', () => {
  void sandbox.close().finally(() => port.close());
});
