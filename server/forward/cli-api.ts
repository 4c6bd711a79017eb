import { captureListSchema, captureViewSchema, type CaptureView } from '../../shared/capture';
import { endpointViewSchema, type EndpointView } from '../../shared/endpoint';
import type { ReportedAttempt } from '../../shared/replay';
import { ConfigError } from '../config';

/** The admin API calls `hookscope forward` makes, every answer parsed with the shared schemas. */
export class ForwardApi {
  constructor(private readonly base: string, private readonly token: string) {}

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.token}`);
    return fetch(`${this.base}/api${path}`, { ...init, headers, signal: AbortSignal.timeout(30_000) });
  }

  private async json(path: string): Promise<unknown> {
    const res = await this.call(path);
    if (res.status === 401 || res.status === 404) throw new ConfigError(`${this.base}/api${path} answered ${res.status}: ${await res.text()}`);
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  /** The endpoint (secrets masked). ConfigError for a wrong token or an unknown endpoint (retrying cannot help). */
  async endpoint(id: string): Promise<EndpointView> {
    return endpointViewSchema.parse(await this.json(`/endpoints/${encodeURIComponent(id)}`));
  }

  /** Id of the endpoint's newest capture, or null when it holds none. */
  async newestCaptureId(id: string): Promise<string | null> {
    const page = captureListSchema.parse(await this.json(`/endpoints/${encodeURIComponent(id)}/requests?limit=1`));
    return page.items[0]?.id ?? null;
  }

  /** The whole capture with its bytes, or null when it is gone (deleted, evicted by retention). */
  async capture(id: string): Promise<CaptureView | null> {
    const res = await this.call(`/requests/${encodeURIComponent(id)}`);
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`GET /requests/${id}: ${res.status} ${await res.text()}`);
    return captureViewSchema.parse(await res.json());
  }

  /** Records what the local handler answered, so the inspector shows it. */
  async report(captureId: string, attempt: ReportedAttempt): Promise<void> {
    const res = await this.call(`/requests/${encodeURIComponent(captureId)}/attempts`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(attempt),
    });
    if (!res.ok && res.status !== 404) throw new Error(`POST /requests/${captureId}/attempts: ${res.status} ${await res.text()}`);
  }
}
