// A small sender for the memory bench, in its own process so its latencies are the server's, not
// those of the process pushing the flood: posts a small delivery to TARGET_URL from LOCAL_ADDRESS
// every 20 ms; on SIGTERM prints `{"ms":[…],"statuses":[…]}` and exits.
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.env.TARGET_URL as string;
const localAddress = process.env.LOCAL_ADDRESS ?? '127.0.0.1';
const ms: number[] = [];
const statuses: number[] = [];
let running = true;
process.on('SIGTERM', () => {
  running = false;
});

function post(): Promise<number> {
  const body = '{"event":"small.delivery"}';
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', localAddress, agent: false, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

console.log('listening on http://127.0.0.1:0 (sending)'); // the bench's start-up handshake
while (running) {
  const started = performance.now();
  statuses.push(await post());
  ms.push(performance.now() - started);
  await sleep(20);
}
process.stdout.write(`${JSON.stringify({ ms, statuses })}\n`);
process.exit(0);
