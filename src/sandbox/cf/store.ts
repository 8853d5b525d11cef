/**
 * One tenant's Cloud Controller: its organization, spaces, apps, packages, droplets and jobs, plus the work that
 * is still "in the background" (uploads processing, copies, deletions). A token only ever reaches its own store,
 * so another tenant's guid is simply not found here (cf-v3-packages.md §2: non-admins see only readable spaces).
 *
 * Background work is not driven by timers: each piece is due at a time, and `advance()` (called before every
 * request) applies whatever has fallen due. That keeps tests deterministic and the process idle between requests.
 */
import { toIsoSeconds } from '../shared/random.js';
import type { AppRecord, DropletRecord, JobRecord, OrganizationRecord, PackageRecord, SpaceRecord } from './models.js';

interface DueWork {
  dueAt: number;
  run: (doneAt: string) => void;
}

export interface TenantSeedData {
  organization: OrganizationRecord;
  spaces: SpaceRecord[];
  apps: AppRecord[];
  /** In creation order: the default list order. */
  packages: PackageRecord[];
  droplets: DropletRecord[];
}

export class TenantStore {
  readonly organization: OrganizationRecord;
  readonly spaces = new Map<string, SpaceRecord>();
  /** Map iteration order is insertion order, which is `seq` order: the default `order by id` of CC lists. */
  readonly apps = new Map<string, AppRecord>();
  readonly packages = new Map<string, PackageRecord>();
  readonly droplets = new Map<string, DropletRecord>();
  readonly jobs = new Map<string, JobRecord>();
  readonly jobDurationMs: number;
  #nextSeq: number;
  #pending: DueWork[] = [];

  constructor(seed: TenantSeedData, jobDurationMs: number) {
    this.organization = seed.organization;
    this.jobDurationMs = jobDurationMs;
    for (const space of seed.spaces) this.spaces.set(space.guid, space);
    for (const app of seed.apps) this.apps.set(app.guid, app);
    for (const pkg of seed.packages) this.packages.set(pkg.guid, pkg);
    for (const droplet of seed.droplets) this.droplets.set(droplet.guid, droplet);
    this.#nextSeq =
      1 +
      Math.max(
        0,
        ...seed.packages.map((p) => p.seq),
        ...seed.apps.map((a) => a.seq),
        ...seed.droplets.map((d) => d.seq),
      );
  }

  nextSeq(): number {
    return this.#nextSeq++;
  }

  spaceOfApp(app: AppRecord): SpaceRecord {
    const space = this.spaces.get(app.spaceGuid);
    if (!space) throw new Error(`store: app ${app.guid} names space ${app.spaceGuid}, which this tenant does not have`);
    return space;
  }

  appOfPackage(pkg: PackageRecord): AppRecord | undefined {
    return this.apps.get(pkg.appGuid);
  }

  /** Runs `work` once `jobDurationMs` has passed, at the first request after that. */
  schedule(work: (doneAt: string) => void): void {
    this.#pending.push({ dueAt: Date.now() + this.jobDurationMs, run: work });
  }

  /** Applies every piece of background work that has fallen due, in the order it was scheduled. */
  advance(now = Date.now()): void {
    if (this.#pending.length === 0) return;
    const due = this.#pending.filter((w) => w.dueAt <= now);
    if (due.length === 0) return;
    this.#pending = this.#pending.filter((w) => w.dueAt > now);
    for (const work of due) work.run(toIsoSeconds(new Date(work.dueAt)));
  }
}

/** The current time in CC's wire form. */
export function nowIso(): string {
  return toIsoSeconds(new Date());
}
