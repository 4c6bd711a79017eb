import type { HeaderPairs } from '../../shared/capture';

/** A request about to be sent: headers without Host and Content-Length (added on the wire). */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: HeaderPairs;
  body: Buffer;
}

/** Sets a header: the first entry of that name keeps its place and spelling, later repeats go; appended when absent. */
export function setHeader(headers: HeaderPairs, name: string, value: string): HeaderPairs {
  const lower = name.toLowerCase();
  const at = headers.findIndex(([key]) => key.toLowerCase() === lower);
  if (at === -1) return [...headers, [name, value]];
  return headers.flatMap(([key, old], i): HeaderPairs => {
    if (key.toLowerCase() !== lower) return [[key, old]];
    return i === at ? [[key, value]] : [];
  });
}

export function removeHeader(headers: HeaderPairs, name: string): HeaderPairs {
  const lower = name.toLowerCase();
  return headers.filter(([key]) => key.toLowerCase() !== lower);
}
