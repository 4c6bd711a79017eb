import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packagePath } from './package-files';

const FROM_SOURCE = fileURLToPath(import.meta.url).endsWith('.ts');

/**
 * Starts a worker thread running one of Hookscope's worker scripts, named by its path under
 * server/ without extension (`replay/transfer-worker`): the compiled one beside the bundle
 * (dist/server/…, each script its own esbuild entry), or — running from source (development,
 * tests) — the TypeScript one through tsx's loader, registered in the worker first. `workerData`
 * reaches the script as worker_threads' workerData.
 */
export function startWorker(script: string, workerData?: unknown): Worker {
  if (!FROM_SOURCE) return new Worker(pathToFileURL(packagePath(`dist/server/${script}.js`)), { workerData });
  const tsx = pathToFileURL(packagePath('node_modules/tsx/dist/esm/api/index.mjs')).href;
  const source = pathToFileURL(packagePath(`server/${script}.ts`)).href;
  return new Worker(`import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`, { eval: true, workerData });
}
