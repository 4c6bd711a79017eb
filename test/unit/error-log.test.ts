import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErrorHandler } from '../../server/api/error-handler';
import { StoreUnavailableError } from '../../server/errors';
import { capturingLogger } from '../support/capturing-logger';

const logged = capturingLogger();
let base = '';
let close: () => void = () => undefined;
beforeAll(async () => {
  const app = express();
  app.get('/api/boom', () => {
    throw new Error('appending the capture failed', { cause: new Error('ENOSPC: no space left on device') });
  });
  app.get('/api/down', () => {
    throw new StoreUnavailableError('the database is unavailable: connection refused');
  });
  app.use(createErrorHandler(logged.logger));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('error lines', () => {
  it('log an unexpected error with its cause, and answer 500 without it', async () => {
    const response = await fetch(`${base}/api/boom?secret=x`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('ENOSPC');
    const record = logged.records().find((r) => r.msg === 'unexpected error') as { err: { message: string; stack: string }; path: string; level: string };
    expect(record).toMatchObject({ level: 'error', path: '/api/boom' });
    expect(record.err.message).toContain('ENOSPC: no space left on device');
    expect(record.err.stack).toMatch(/caused by: Error: ENOSPC/);
  });

  it('log a 5xx the server answers on purpose (the store is down)', async () => {
    expect((await fetch(`${base}/api/down`)).status).toBe(503);
    expect(logged.records().find((r) => r.status === 503)).toMatchObject({ level: 'error', msg: 'the database is unavailable: connection refused' });
  });
});
