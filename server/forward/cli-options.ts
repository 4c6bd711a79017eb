import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError } from '../config';

export const FORWARD_USAGE = `usage: hookscope forward <endpoint URL> --to <local URL> [options]

Delivers every new capture of a (possibly remote) Hookscope endpoint to a local handler, in order,
resuming after restarts and disconnects from a cursor kept in a state file.

  --to <url>             where to deliver, e.g. http://localhost:3000/hook        (required)
  --token <token>        admin token of that Hookscope                            HOOKSCOPE_TOKEN
  --state <file>         cursor file (default ~/.hookscope/forward/<hash>.json)
  --from-start           on the first run, deliver the captures already held too
  --header 'Name: value' set a header on every delivery (repeatable; 'Name:' removes it)
  --resign <secret>      re-sign each delivery with the endpoint's scheme and this secret
  --method <METHOD>      only deliveries with this method (repeatable)
  --event <type>         only deliveries of this detected event type (repeatable)
  --no-path              do not append the capture's sub-path and query to --to
  --include-rejected     also deliver what Hookscope refused (401/413/422)
  --timeout <ms>         give up waiting for the local handler (default 30000)
`;

const optionsSchema = z.object({
  endpointUrl: z.url({ protocol: /^https?$/, message: 'the first argument must be the endpoint URL, e.g. https://hooks.example.com/h/<id>' }),
  to: z.url({ protocol: /^https?$/, message: '--to must be an http(s) URL' }),
  token: z.string({ error: 'a token is required: --token or HOOKSCOPE_TOKEN' }).min(16, 'the token has at least 16 characters'),
  state: z.string().min(1).optional(),
  fromStart: z.boolean(),
  headers: z.record(z.string(), z.string().nullable()),
  resign: z.string().min(1).optional(),
  methods: z.array(z.string()),
  events: z.array(z.string()),
  appendPath: z.boolean(),
  includeRejected: z.boolean(),
  timeoutMs: z.coerce.number().int().min(100).max(600_000).default(30_000), // ms
});

/** Parsed `hookscope forward` options, plus what is derived from the endpoint URL. */
export type ForwardCliOptions = z.infer<typeof optionsSchema> & {
  /** Hookscope's base URL (scheme, host, any path prefix before `/h/`). */
  base: string;
  endpointId: string;
  stateFile: string;
};

/** `https://x/prefix/h/<id>[/…]` → base `https://x/prefix` and the endpoint id. */
export function splitEndpointUrl(endpointUrl: string): { base: string; endpointId: string } {
  const url = new URL(endpointUrl);
  const match = /^(.*?)\/h\/([^/]+)/.exec(url.pathname);
  if (!match) throw new ConfigError(`${endpointUrl} is not an endpoint URL (…/h/<endpoint id>)`);
  return { base: `${url.origin}${match[1]}`, endpointId: decodeURIComponent(match[2] as string) };
}

function parseHeaders(values: string[]): Record<string, string | null> {
  const headers: Record<string, string | null> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon <= 0) throw new ConfigError(`--header "${value}" is not "Name: value"`);
    const rest = value.slice(colon + 1).trim();
    headers[value.slice(0, colon).trim()] = rest === '' ? null : rest;
  }
  return headers;
}

/** Parses flags (and HOOKSCOPE_TOKEN from `env`); throws ConfigError listing the problems. */
export function parseForwardOptions(argv: string[], env: NodeJS.ProcessEnv): ForwardCliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        to: { type: 'string' }, token: { type: 'string' }, state: { type: 'string' }, 'from-start': { type: 'boolean' },
        header: { type: 'string', multiple: true }, resign: { type: 'string' }, method: { type: 'string', multiple: true },
        event: { type: 'string', multiple: true }, 'no-path': { type: 'boolean' }, 'include-rejected': { type: 'boolean' }, timeout: { type: 'string' },
      },
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${FORWARD_USAGE}`);
  }
  const { values, positionals } = parsed;
  const result = optionsSchema.safeParse({
    endpointUrl: positionals[0], to: values.to, token: values.token ?? env.HOOKSCOPE_TOKEN, state: values.state,
    fromStart: values['from-start'] ?? false, headers: parseHeaders(values.header ?? []), resign: values.resign,
    methods: values.method ?? [], events: values.event ?? [], appendPath: !values['no-path'],
    includeRejected: values['include-rejected'] ?? false, timeoutMs: values.timeout,
  });
  if (!result.success) throw new ConfigError(`invalid options:\n${result.error.issues.map((i) => `  ${i.path.join('.') || 'argument'}: ${i.message}`).join('\n')}\n\n${FORWARD_USAGE}`);
  const { base, endpointId } = splitEndpointUrl(result.data.endpointUrl);
  const key = createHash('sha256').update(`${result.data.endpointUrl} ${result.data.to}`).digest('hex').slice(0, 16);
  return { ...result.data, base, endpointId, stateFile: result.data.state ?? join(homedir(), '.hookscope', 'forward', `${key}.json`) };
}
