/**
 * Per-request loaders for Cloud Foundry: every CF read of a GraphQL request goes through here. Packages and apps by
 * guid are batched into `guids=` list requests (cf-v3-packages.md §4: comma-delimited, batchable), at most
 * CF_GUIDS_PER_REQUEST per request (DataLoader splits larger batches), so `packages(first: 50) { app { name } }`
 * costs one list call and one apps call. Lists prime the by-guid loaders. Jobs have no list endpoint (§7): they are
 * deduplicated and read one by one.
 */
import DataLoader from 'dataloader';
import {
  CF_GUIDS_PER_REQUEST,
  type CfApp,
  type CfAppFilter,
  type CfClient,
  type CfDroplet,
  type CfDropletFilter,
  type CfJob,
  type CfOrder,
  type CfPackage,
  type CfPackageArchive,
  type CfPackageFilter,
} from '../upstreams/cf/index.js';
import type { Page, PageRequest } from '../upstreams/shared/page.js';
import { NO_BATCH_OBSERVER, observed, type BatchObserver } from './observe.js';
import { orderByKeys, settlePerKey } from './orderByKeys.js';
import { ReadOnce } from './readOnce.js';

/** Concurrent job reads one GraphQL request may have in flight to CF. */
const PER_REQUEST_CONCURRENCY = 8;

export class CfLoaders {
  readonly package: DataLoader<string, CfPackage | null>;
  readonly app: DataLoader<string, CfApp | null>;
  readonly job: DataLoader<string, CfJob | null>;
  /** Package zips by guid: one download per distinct package per request. */
  readonly archive: DataLoader<string, CfPackageArchive | null>;

  readonly #client: CfClient;
  readonly #reads: ReadOnce;

  constructor(client: CfClient, observe: BatchObserver = NO_BATCH_OBSERVER, reads = new ReadOnce()) {
    this.#client = client;
    this.#reads = reads;
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
    this.archive = new DataLoader(
      observed('cf.archive', observe, (guids) =>
        settlePerKey(guids, (guid) => client.downloadBits(guid), PER_REQUEST_CONCURRENCY),
      ),
    );
  }

  /** A page of packages; later by-guid reads of them in this request need no call. */
  listPackages(page: PageRequest, filter: CfPackageFilter, order: CfOrder | null): Promise<Page<CfPackage>> {
    return this.#reads.read('cf.listPackages', [page, filter, order], async () =>
      this.#primePackages(await this.#client.listPackages(page, filter, order)),
    );
  }

  /** A page of one app's packages (`GET /v3/apps/:guid/packages`), primed like any list. */
  listAppPackages(
    appGuid: string,
    page: PageRequest,
    filter: CfPackageFilter,
    order: CfOrder | null,
  ): Promise<Page<CfPackage>> {
    return this.#reads.read('cf.listAppPackages', [appGuid, page, filter, order], async () =>
      this.#primePackages(await this.#client.listAppPackages(appGuid, page, filter, order)),
    );
  }

  /** A page of apps, primed. */
  listApps(page: PageRequest, filter: CfAppFilter, order: CfOrder | null): Promise<Page<CfApp>> {
    return this.#reads.read('cf.listApps', [page, filter, order], async () => {
      const list = await this.#client.listApps(page, filter, order);
      for (const app of list.items) this.app.prime(app.guid, app);
      return list;
    });
  }

  /** A page of one package's droplets (CF lists droplets per package only, §4; nothing reads them by guid). */
  listDroplets(
    packageGuid: string,
    page: PageRequest,
    filter: CfDropletFilter,
    order: CfOrder | null,
  ): Promise<Page<CfDroplet>> {
    return this.#reads.read('cf.listDroplets', [packageGuid, page, filter, order], () =>
      this.#client.listDroplets(packageGuid, page, filter, order),
    );
  }

  /**
   * A package read now with `GET /v3/packages/:guid`, not from this request's memo: for polling a package a write
   * is still working on. Later reads in the request see this state.
   */
  async freshPackage(guid: string): Promise<CfPackage | null> {
    const pkg = await this.#client.getPackage(guid);
    this.package.clear(guid);
    if (pkg) this.package.prime(guid, pkg);
    return pkg;
  }

  /** A job read now, not from this request's memo: for polling a job a write started. */
  freshJob(guid: string): Promise<CfJob | null> {
    return this.job.clear(guid).load(guid);
  }

  #primePackages(list: Page<CfPackage>): Page<CfPackage> {
    for (const pkg of list.items) this.package.prime(pkg.guid, pkg);
    return list;
  }
}
