/**
 * The sandbox on a thread of its own (node:worker_threads), as `npm start` runs it in sandbox mode: the emulators seed
 * and serve on another core, so the gateway neither waits for their seeding at start-up nor shares its event loop with
 * them (the bench puts them in a process of their own for the same reason). Tests start the sandbox in-process
 * (`startSandbox`) to reach its controls.
 */
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packagePath, runningFromSources } from '../packageFiles.js';
import type { SandboxUrls } from './describe.js';

export interface SandboxThread extends SandboxUrls {
  /** Closes the emulators and ends the thread. */
  close(): Promise<void>;
}

/** What the thread's sandbox is started with (startSandbox's options that cross a thread). */
export interface SandboxThreadOptions {
  /** How long an upstream job takes from accepted to done. */
  jobDurationMs: number;
}

/** Resolves once the three emulators listen; rejects if the thread fails before that. */
export function startSandboxThread(options: SandboxThreadOptions): Promise<SandboxThread> {
  // The entry is the build's bundle, or the source file when run through tsx. Node 20 does not apply tsx's loader hooks
  // (`--import tsx`) to a worker's entry, so from the sources the thread registers them itself first.
  const entry = pathToFileURL(
    runningFromSources
      ? packagePath('src', 'sandbox', 'threadMain.ts')
      : packagePath('dist', 'src', 'sandbox', 'threadMain.js'),
  );
  const worker = runningFromSources
    ? new Worker(
        `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`,
        { eval: true, workerData: options },
      )
    : new Worker(entry, { workerData: options });
  return new Promise<SandboxThread>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    const exited = (code: number) =>
      reject(new Error(`the sandbox thread exited (code ${code}) before its emulators listened`));
    worker.once('error', failed);
    worker.once('exit', exited);
    worker.once('message', (urls: SandboxUrls) => {
      worker.off('error', failed);
      worker.off('exit', exited);
      worker.on('error', (error) => console.error('sandbox thread failed:', error));
      // Not events.once: it would reject on a later 'error' event, and a rejection nobody awaits ends the process.
      const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      resolve({
        ...urls,
        async close() {
          worker.postMessage('close');
          await ended;
        },
      });
    });
  });
}
