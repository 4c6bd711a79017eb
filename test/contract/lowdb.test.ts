// The Store and Hub contracts against the embedded implementations (lowdb store, in-process hub).
import { createCaptureIdGenerator } from '../../server/store/capture-id';
import { LowdbStore } from '../../server/store/lowdb-store';
import { LocalHub } from '../../server/stream/hub';
import { tempDir } from '../support/temp-dir';
import { runHubContract } from './hub-contract';
import { runStoreContract } from './store-contract';

runStoreContract({
  name: 'lowdb',
  harness: async () => {
    const dir = await tempDir();
    return {
      open: (options = {}) => LowdbStore.open({ dir: dir.path, newId: createCaptureIdGenerator(options.now) }),
      cleanup: () => dir.remove(),
    };
  },
});

runHubContract({
  name: 'in-process hub over lowdb',
  harness: async () => {
    const dir = await tempDir();
    const store = await LowdbStore.open({ dir: dir.path });
    const hub = new LocalHub();
    return {
      store,
      // One process: "every instance" is this one hub.
      instances: [hub, hub],
      cleanup: async () => {
        await hub.close();
        await store.close();
        await dir.remove();
      },
    };
  },
  skip: {
    'captures published out of commit order are still delivered in id order':
      'an in-process hub delivers in publish order; in one process ingest publishes each capture right after its own append resolved, in id order, so only several instances can publish out of order',
  },
});
