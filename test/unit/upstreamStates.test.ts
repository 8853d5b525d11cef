/**
 * The state rules of src/upstreams/<api>/states.ts, which awaitMs, the subscriptions and the job resolvers share.
 * A CF package has two: busy (a write waits while background work runs) and terminal (a watch ends).
 */
import { expect, it } from 'vitest';
import { isCfJobTerminal, isCfPackageBusy, isCfPackageTerminal, type CfPackage } from '../../src/upstreams/cf/index.js';
import { isCycleJobTerminal, type CycleJob } from '../../src/upstreams/cycle/index.js';

const pkg = (state: CfPackage['state']) => ({ state }) as CfPackage;

it('a CF package: busy while copying or processing an upload; terminal at READY, FAILED, EXPIRED', () => {
  const states: CfPackage['state'][] = [
    'AWAITING_UPLOAD',
    'PROCESSING_UPLOAD',
    'COPYING',
    'READY',
    'FAILED',
    'EXPIRED',
    'UNKNOWN',
  ];
  expect(states.filter((s) => isCfPackageBusy(pkg(s)))).toEqual(['PROCESSING_UPLOAD', 'COPYING']);
  expect(states.filter((s) => isCfPackageTerminal(pkg(s)))).toEqual(['READY', 'FAILED', 'EXPIRED']);
  // Awaiting its upload, a package is neither: a write does not wait on it, a watch does.
  expect([isCfPackageBusy(pkg('AWAITING_UPLOAD')), isCfPackageTerminal(pkg('AWAITING_UPLOAD'))]).toEqual([
    false,
    false,
  ]);
});

it('jobs: terminal where polling ends', () => {
  const cycle = (['new', 'queued', 'scheduled', 'running', 'completed', 'error', 'expired'] as const).filter((state) =>
    isCycleJobTerminal({ state } as CycleJob),
  );
  expect(cycle).toEqual(['completed', 'error', 'expired']);
  const cf = (['PROCESSING', 'POLLING', 'COMPLETE', 'FAILED'] as const).filter((state) =>
    isCfJobTerminal({ state } as Parameters<typeof isCfJobTerminal>[0]),
  );
  expect(cf).toEqual(['COMPLETE', 'FAILED']);
});
