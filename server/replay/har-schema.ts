import { z } from 'zod';

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): the required fields of each object,
// optional ones typed when present; custom fields start with `_` and pass through (z.looseObject).

const nameValue = z.looseObject({ name: z.string(), value: z.string(), comment: z.string().optional() });

const cookie = z.looseObject({
  name: z.string(), value: z.string(), path: z.string().optional(), domain: z.string().optional(),
  expires: z.string().nullable().optional(), httpOnly: z.boolean().optional(), secure: z.boolean().optional(),
});

export const harPostDataSchema = z.looseObject({
  mimeType: z.string(),
  text: z.string().optional(),
  params: z.array(z.looseObject({ name: z.string(), value: z.string().optional(), fileName: z.string().optional(), contentType: z.string().optional() })).optional(),
  comment: z.string().optional(),
});

export const harRequestSchema = z.looseObject({
  method: z.string(),
  url: z.string(),
  httpVersion: z.string(),
  cookies: z.array(cookie),
  headers: z.array(nameValue),
  queryString: z.array(nameValue),
  postData: harPostDataSchema.optional(),
  headersSize: z.number().int(),
  bodySize: z.number().int(),
});

export const harResponseSchema = z.looseObject({
  status: z.number().int(),
  statusText: z.string(),
  httpVersion: z.string(),
  cookies: z.array(cookie),
  headers: z.array(nameValue),
  content: z.looseObject({ size: z.number().int(), compression: z.number().int().optional(), mimeType: z.string(), text: z.string().optional(), encoding: z.string().optional() }),
  redirectURL: z.string(),
  headersSize: z.number().int(),
  bodySize: z.number().int(),
});

export const harEntrySchema = z.looseObject({
  pageref: z.string().optional(),
  startedDateTime: z.iso.datetime({ offset: true }),
  time: z.number().min(0),
  request: harRequestSchema,
  response: harResponseSchema,
  cache: z.looseObject({}),
  timings: z.looseObject({
    blocked: z.number().optional(), dns: z.number().optional(), connect: z.number().optional(),
    send: z.number(), wait: z.number(), receive: z.number(), ssl: z.number().optional(),
  }),
  serverIPAddress: z.string().optional(),
  connection: z.string().optional(),
});
export type HarEntry = z.infer<typeof harEntrySchema>;

export const harSchema = z.looseObject({
  log: z.looseObject({
    version: z.string(),
    creator: z.looseObject({ name: z.string(), version: z.string() }),
    browser: z.looseObject({ name: z.string(), version: z.string() }).optional(),
    pages: z.array(z.looseObject({ startedDateTime: z.string(), id: z.string(), title: z.string(), pageTimings: z.looseObject({}) })).optional(),
    entries: z.array(harEntrySchema),
  }),
});
export type Har = z.infer<typeof harSchema>;
