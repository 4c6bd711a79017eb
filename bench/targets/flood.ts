// The upload flood of the memory bench, in its own process (the bench starts it niced, as a remote
// attacker's CPU is not the server's): UPLOADS concurrent POSTs of BODY_MIB MiB to TARGET_URL, each
// from its own loopback address; prints the statuses as JSON (0: the connection failed).
import { post } from '../support/post';

const url = process.env.TARGET_URL as string;
const uploads = Number(process.env.UPLOADS ?? 80);
const body = Buffer.alloc(Number(process.env.BODY_MIB ?? 10) * 1024 * 1024, 'hookscope-memory-bench ');

const statuses = await Promise.all(Array.from({ length: uploads }, (_, i) => post(url, body, `127.0.${2 + Math.floor(i / 200)}.${1 + (i % 200)}`)));
process.stdout.write(`${JSON.stringify(statuses)}\n`);
