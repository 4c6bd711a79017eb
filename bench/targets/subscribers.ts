// N stream subscribers in their own process: counts captures and prints the count on SIGTERM.
import { WebSocket } from 'ws';

const [base, token, endpointId, n] = process.argv.slice(2) as [string, string, string, string];
let received = 0;
let ready = 0;
for (let i = 0; i < Number(n); i++) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/stream`);
  ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
  ws.on('message', (data) => {
    const text = data.toString();
    if (text.startsWith('{"type":"capture"')) received += 1;
    else if (text.startsWith('{"type":"ready"')) ws.send(JSON.stringify({ type: 'subscribe', subscriptions: [{ endpointId }] }));
    else if (text.startsWith('{"type":"caught-up"') && ++ready === Number(n)) console.log(`listening on ${base} (${n} subscribers ready)`);
  });
}
process.on('SIGTERM', () => {
  console.error(`received ${received}`);
  process.exit(0);
});
