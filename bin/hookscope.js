#!/usr/bin/env node
// Entry point of the `hookscope` command: the compiled CLI (`npm run build` writes dist/server).
// Stack traces point into the TypeScript sources through the bundle's source maps.
process.setSourceMapsEnabled(true);
try {
  await import('../dist/server/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/server/cli.js')) throw error;
  process.stderr.write('hookscope: the server is not built: run `npm run build` (or `npm run dev` to run from source)\n');
  process.exit(1);
}
