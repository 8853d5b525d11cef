/**
 * Per-request loaders for Cloud Foundry. Packages and apps by guid are batched into `guids=` list requests
 * (cf-v3-packages.md §4: comma-delimited, batchable), at most CF_GUIDS_PER_REQUEST per request (DataLoader splits
 * larger batches), so `packages(first: 50) { app { name } }` costs one list call and one apps call. Jobs have no
 * list endpoint (§7): they are deduplicated and read one by one.
 */
import DataLoader from 'dataloader';
import { CF_GUIDS_PER_REQUEST, type CfApp, type CfClient, type CfJob, type CfPackage } from '../upstreams/cf/index.js';
import { NO_BATCH_OBSERVER, observed, type BatchObserver } from './observe.js';
import { orderByKeys, settlePerKey } from './orderByKeys.js';

/** Concurrent job reads one GraphQL request may have in flight to CF. */
const PER_REQUEST_CONCURRENCY = 8;

export class CfLoaders {
  readonly package: DataLoader<string, CfPackage | null>;
  readonly app: DataLoader<string, CfApp | null>;
  readonly job: DataLoader<string, CfJob | null>;

  constructor(client: CfClient, observe: BatchObserver = NO_BATCH_OBSERVER) {
    const batched = { maxBatchSize: CF_GUIDS_PER_REQUEST };
    this.package = new DataLoader(
      observed('cf.package', observe, async (guids) =>
        orderByKeys(guids, await client.packagesByGuids(guids), (p) => p.guid),
      ),
      batched,
    );
    this.app = new DataLoader(
      observed('cf.app', observe, async (guids) => orderByKeys(guids, await client.appsByGuids(guids), (a) => a.guid)),
      batched,
    );
    this.job = new DataLoader(
      observed('cf.job', observe, (guids) =>
        settlePerKey(guids, (guid) => client.getJob(guid), PER_REQUEST_CONCURRENCY),
      ),
    );
  }

  /** Packages read from a list: later by-guid reads in this request need no call. */
  acceptPackages(packages: readonly CfPackage[]): void {
    for (const pkg of packages) this.package.prime(pkg.guid, pkg);
  }

  acceptApps(apps: readonly CfApp[]): void {
    for (const app of apps) this.app.prime(app.guid, app);
  }
}
