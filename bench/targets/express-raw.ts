// Baseline (b): an Express 5 app with express.raw({ type: '*/*' }) replying 200, storing nothing.
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.use(express.raw({ type: '*/*', limit: '10mb' }));
app.all('/h/{*rest}', (_req, res) => {
  res.json({ ok: true });
});
const server = app.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
