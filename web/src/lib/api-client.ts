import { createContext, useContext } from 'react';
import type { z } from 'zod';
import { apiErrorSchema, type ApiError } from '../../../shared/api';

/** A failed API call: the HTTP status and the server's `{ error, details }`. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ApiError['details'] = undefined,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  json?: unknown;
  signal?: AbortSignal;
}

/** The only place the inspector talks HTTP to the server; every answer is zod-parsed. */
export class ApiClient {
  constructor(
    private readonly token: string,
    /** Called when the server rejects the token (401), before the promise rejects. */
    private readonly onUnauthorized: () => void = () => undefined,
    private readonly base = '',
  ) {}

  /** JSON request; resolves to the parsed body, or `undefined` for 204. */
  async request<S extends z.ZodType>(schema: S, path: string, options: RequestOptions = {}): Promise<z.infer<S>> {
    const response = await this.send(path, options);
    if (response.status === 204) return schema.parse(undefined);
    const body: unknown = await response.json().catch(() => {
      throw new ApiRequestError(response.status, `the server answered ${response.status} with something that is not JSON`);
    });
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ApiRequestError(response.status, `unexpected answer from ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  }

  /** Raw bytes of a response (e.g. a capture's body). */
  async blob(path: string): Promise<Blob> {
    return (await this.send(path, {})).blob();
  }

  /** A download: `onStart` sees the response headers first (export counts and ids), then the bytes arrive. */
  async download(path: string, onStart?: (headers: Headers) => void): Promise<Blob> {
    const response = await this.send(path, {});
    onStart?.(response.headers);
    return response.blob();
  }

  /** Raw bytes POSTed with upload progress (fetch reports none); resolves to the parsed JSON answer. */
  upload<S extends z.ZodType>(schema: S, path: string, body: Blob, headers: Record<string, string>, onProgress: (sent: number, total: number) => void): Promise<z.infer<S>> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', this.base + path);
      xhr.setRequestHeader('authorization', `Bearer ${this.token}`);
      for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.total);
      xhr.onerror = () => reject(new ApiRequestError(0, 'cannot reach the Hookscope server'));
      xhr.onload = () => {
        let raw: unknown = null;
        try {
          raw = JSON.parse(xhr.responseText);
        } catch {
          // handled below
        }
        if (xhr.status === 401) this.onUnauthorized();
        if (xhr.status >= 200 && xhr.status < 300) {
          const parsed = schema.safeParse(raw);
          if (parsed.success) resolve(parsed.data);
          else reject(new ApiRequestError(xhr.status, `unexpected answer from ${path}`));
          return;
        }
        const error = apiErrorSchema.safeParse(raw);
        reject(new ApiRequestError(xhr.status, error.success ? error.data.error : `POST ${path} failed with HTTP ${xhr.status}`, error.success ? error.data.details : undefined));
      };
      xhr.send(body);
    });
  }

  private async send(path: string, { method = 'GET', json, signal }: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (json !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.base + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json), signal });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiRequestError(0, 'cannot reach the Hookscope server');
    }
    if (response.ok) return response;
    if (response.status === 401) this.onUnauthorized();
    const raw: unknown = await response.json().catch(() => null);
    const error = apiErrorSchema.safeParse(raw);
    if (error.success) throw new ApiRequestError(response.status, error.data.error, error.data.details);
    throw new ApiRequestError(response.status, `${method} ${path} failed with HTTP ${response.status}`);
  }
}

/** Human sentence for any error an API call rejected with. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiRequestError) {
    const details = error.details?.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    return details ? `${error.message} (${details})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export const ApiContext = createContext<ApiClient | null>(null);

/** The signed-in API client; only used below the login gate. */
export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiContext.Provider>');
  return api;
}
