import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
});
afterAll(() => server.dispose());

/** Opens a raw connection, writes `first`, then trickles nothing more; resolves with what the server said. */
function stall(first: string): Promise<{ reply: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.write(first));
    let reply = '';
    socket.on('data', (d) => (reply += d.toString()));
    socket.on('close', () => resolve({ reply, ms: Date.now() - started }));
    socket.on('error', () => undefined);
  });
}

describe('slow clients', () => {
  it('answers 408 JSON to a client that never finishes its headers', async () => {
    const { reply, ms } = await stall('POST /h/default HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(reply).toMatch(/"error":"the request took too long to arrive"/);
    expect(ms).toBeLessThan(6000);
  });

  it('cuts off a client that never finishes its body', async () => {
    const { reply, ms } = await stall('POST /h/default HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial');
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(8000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
