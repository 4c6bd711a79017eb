import { loadConfig, type Config } from '../../server/config';
import { startServer, type RunningServer, type ServeOptions } from '../../server/serve';
import { tempDir } from './temp-dir';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** fetch against the server with the admin token. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Closes the server and deletes its data folder. */
  dispose(): Promise<void>;
}

/** A real server on 127.0.0.1 and an ephemeral port, its data in a temp folder. */
export async function startTestServer(
  overrides: Partial<Config> = {},
  extra: Omit<ServeOptions, 'config'> = {},
): Promise<TestServer> {
  const dir = overrides.data ? null : await tempDir();
  const config: Config = { ...loadConfig([], {}), port: 0, host: '127.0.0.1', token: TEST_TOKEN, quiet: true, data: dir?.path ?? '', ...overrides };
  const server = await startServer({ ...extra, config });
  const base = `http://127.0.0.1:${server.port}`;
  return {
    ...server,
    url: base,
    dataDir: config.data,
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${config.token}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(`${base}${path}`, { ...init, headers, body });
    },
    async dispose() {
      await server.close();
      await dir?.remove();
    },
  };
}
