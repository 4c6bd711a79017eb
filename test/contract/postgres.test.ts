// The Store and Hub contracts against PostgreSQL, on a throwaway cluster this file starts.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PostgresStore } from '../../server/store/postgres/postgres-store';
import { PgHub } from '../../server/stream/pg-hub';
import { postgresMissingReason, startTestPostgres, type TestPostgres } from '../support/postgres';
import { runHubContract } from './hub-contract';
import { runStoreContract } from './store-contract';

const missing = postgresMissingReason();
let server: TestPostgres;

if (missing) {
  describe.skip(`PostgreSQL contracts — skipped: ${missing}`, () => it('needs PostgreSQL', () => undefined));
} else {
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => server?.dispose());

  runStoreContract({
    name: 'postgres',
    harness: async () => {
      const url = await server.createDatabase();
      return {
        open: (options = {}) => PostgresStore.open({ connectionString: url, max: 5, now: options.now }),
        cleanup: async () => undefined, // the cluster goes away with the file
      };
    },
  });

  runHubContract({
    name: 'LISTEN/NOTIFY hub over postgres, two instances',
    harness: async () => {
      const url = await server.createDatabase();
      // Two instances: each its own pool, store and LISTEN connection, as two processes would have.
      const stores = [await PostgresStore.open({ connectionString: url, max: 5 }), await PostgresStore.open({ connectionString: url, max: 5 })];
      const hubs = await Promise.all(stores.map((feed) => PgHub.start({ feed, connectionString: url })));
      return {
        store: stores[0] as PostgresStore,
        instances: [hubs[0] as PgHub, hubs[1] as PgHub],
        cleanup: async () => {
          await Promise.all(hubs.map((hub) => hub.close()));
          await Promise.all(stores.map((store) => store.close()));
        },
      };
    },
  });
}
