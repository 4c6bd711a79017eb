// The receive path alone, for the memory bench: a node:http server that reads each body the way
// ingest does (RECEIVE=buffer: server/ingest/read-body.ts, one buffer of the declared length) or
// the way it did before (RECEIVE=concat: chunks, then Buffer.concat), and holds every body until
// HOLD_COUNT of them have arrived (so all are held at once), then HOLD_MS more, then replies to all.
// Peak RSS growth over HOLD_COUNT is what the receive path itself costs per upload.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryBudget } from '../../server/ingest/memory-budget';
import { readBody } from '../../server/ingest/read-body';

const HOLD_COUNT = Number(process.env.HOLD_COUNT ?? 80);
const HOLD_MS = Number(process.env.HOLD_MS ?? 500);
let held: (() => void)[] = [];
const budget = new MemoryBudget(64 * 1024 ** 3, { perBodyByte: 1 }); // never in the way: this measures the path, not the budget

function concatBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function receive(req: IncomingMessage): Promise<Buffer> {
  if (process.env.RECEIVE === 'concat') return concatBody(req);
  const reservation = budget.tryReserve(Number(req.headers['content-length'] ?? 0));
  const read = await readBody(req, 1024 ** 3, reservation as NonNullable<typeof reservation>);
  reservation?.release();
  if (!read.ok) throw new Error('not read');
  return read.body;
}

const server = createServer((req, res) => {
  void receive(req).then(async (body) => {
    held.push(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"ok":true,"size":${body.length}}`);
    });
    if (held.length < HOLD_COUNT) return;
    const all = held;
    held = [];
    await sleep(HOLD_MS);
    for (const reply of all) reply();
  }, () => res.writeHead(400).end());
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
