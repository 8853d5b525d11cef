/**
 * What a subscription can watch, each read through the same upstream clients as queries (so with the retry, breaker
 * and deadline policy of reads), ending at the terminal states defined by each upstream (upstreams/<api>/states.ts).
 */
import type { UpstreamName } from '../config.js';
import { isCfJobTerminal, isCfPackageTerminal, type CfJob, type CfPackage } from '../upstreams/cf/index.js';
import { isCycleImageSettled, isCycleJobTerminal, type CycleImage, type CycleJob } from '../upstreams/cycle/index.js';
import type { Upstreams } from '../upstreams/index.js';

export type WatchKind = 'cycle.job' | 'cf.job' | 'cycle.image' | 'cf.package';

export interface WatchTarget<T> {
  kind: WatchKind;
  /** The resource's id; with the kind and the caller's credential digest, the key of the shared poll. */
  id: string;
  upstream: UpstreamName;
  /** The current value; null when the upstream does not know the resource. */
  read(upstreams: Upstreams): Promise<T | null>;
  /** True once the value will not change any more: the watch ends after delivering it. */
  isDone(value: T): boolean;
  /**
   * True when an unknown resource is waited for (up to the configured grace) before the watch ends with NOT_FOUND:
   * a Cycle job accepted a moment ago may 404 briefly (cycle.md §6).
   */
  waitsWhileUnknown: boolean;
  /** The NOT_FOUND message. */
  unknown: string;
}

export function cycleJobTarget(id: string): WatchTarget<CycleJob> {
  return {
    kind: 'cycle.job',
    id,
    upstream: 'cycle',
    read: (upstreams) => upstreams.cycle.getJob(id),
    isDone: isCycleJobTerminal,
    waitsWhileUnknown: true,
    unknown: `Cycle has no job ${id}`,
  };
}

export function cfJobTarget(guid: string): WatchTarget<CfJob> {
  return {
    kind: 'cf.job',
    id: guid,
    upstream: 'cf',
    read: (upstreams) => upstreams.cf.getJob(guid),
    isDone: isCfJobTerminal,
    waitsWhileUnknown: true,
    unknown: `Cloud Foundry has no job ${guid}`,
  };
}

export function imageTarget(id: string): WatchTarget<CycleImage> {
  return {
    kind: 'cycle.image',
    id,
    upstream: 'cycle',
    read: async (upstreams) => (await upstreams.cycle.getImage(id))?.item ?? null,
    isDone: isCycleImageSettled,
    waitsWhileUnknown: false,
    unknown: `Cycle has no image ${id}`,
  };
}

export function packageTarget(guid: string): WatchTarget<CfPackage> {
  return {
    kind: 'cf.package',
    id: guid,
    upstream: 'cf',
    read: (upstreams) => upstreams.cf.getPackage(guid),
    isDone: isCfPackageTerminal,
    waitsWhileUnknown: false,
    unknown: `Cloud Foundry has no package ${guid}`,
  };
}
