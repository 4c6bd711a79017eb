import { AsyncForwarder } from '../forward/async-forwarder';
import { createProxyForwarder, type ProxyForwarder } from '../forward/proxy';
import type { Store } from '../store/store';
import type { Hub } from '../stream/hub';
import { BulkReplays } from './bulk';
import { TransferThreads, type TransferThreadsOptions } from './transfer-threads';
import { createSender, type Sender } from './http-send';
import type { SigningClock } from '../signing/sign-request';
import { parseAllowList, type Resolver } from './target-guard';
import type { Logger } from '../logging/logger';
import { PACKAGE_VERSION } from '../package-files';


export interface ReplayServicesOptions {
  store: Store;
  hub: Hub;
  /** The `--replay-allow` setting (see parseAllowList). */
  replayAllow: string;
  /** Base URL deliveries reach this Hookscope at, for exports and "copy as curl". */
  publicUrl?: string;
  now: () => number;
  logger: Logger;
  resolver?: Resolver;
  clock?: SigningClock;
  /** Async forwarding backoff, ms per failed attempt (tests shorten it). */
  forwardBackoffMs?: (attempt: number) => number;
  /** How large imports use worker threads (transfer-threads.ts; tests lower the size that does). */
  transferThreads?: TransferThreadsOptions;
}

/** Everything replay and forwarding need, built once per server and closed with it. */
export interface ReplayServices {
  store: Store;
  hub: Hub;
  sender: Sender;
  bulk: BulkReplays;
  forwarder: AsyncForwarder;
  proxy: ProxyForwarder;
  publicUrl: string | undefined;
  clock: SigningClock | undefined;
  now: () => number;
  /** Hookscope's version, for the HAR `creator`. */
  version: string;
  /** Worker threads for large imports. */
  transferThreads: TransferThreads;
  /** Cancels bulk jobs and forward retries, closes connections. */
  close(): Promise<void>;
}

/** Builds the sender (with the target policy), bulk jobs and forward rules. Throws on a malformed allow-list. */
export function createReplayServices(options: ReplayServicesOptions): ReplayServices {
  const { store, hub, now, logger } = options;
  const sender = createSender({ policy: parseAllowList(options.replayAllow), now, resolver: options.resolver });
  const bulk = new BulkReplays({ store, hub, sender, now, logger, clock: options.clock });
  const forwarder = new AsyncForwarder({ store, hub, sender, now, logger, backoffMs: options.forwardBackoffMs });
  const proxy = createProxyForwarder({ store, hub, sender, now, logger });
  const transferThreads = new TransferThreads(options.transferThreads);
  return {
    store, hub, sender, bulk, forwarder, proxy, now, publicUrl: options.publicUrl, clock: options.clock, version: PACKAGE_VERSION, transferThreads,
    async close() {
      await transferThreads.close();
      await bulk.close();
      await forwarder.close();
      await proxy.drain();
      sender.close();
    },
  };
}
