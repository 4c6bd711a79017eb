import { randomBytes } from 'node:crypto';
import type { Endpoint } from '../../shared/endpoint';
import type { BulkJob, BulkReplayRequest } from '../../shared/replay';
import { toAttempt, recordAttempt, succeeded } from './attempt';
import { selectCaptures } from './bulk-select';
import { givenSecret, replayCapture, type ReplayDeps } from './replay-one';
import { signingFor } from '../signing/sign-request';
import type { Logger } from '../logging/logger';
import { TargetRefusedError } from './target-guard';

const PROGRESS_EVERY_MS = 100; // at most ten progress messages a second per job; the last one always goes
const KEPT_JOBS = 100; // finished jobs remembered for GET

interface RunningJob {
  view: BulkJob;
  ids: string[];
  request: BulkReplayRequest;
  endpoint: Endpoint;
  abort: AbortController;
  latencySum: number; // ms
  measured: number; // attempts counted in latencySum
  lastProgress: number; // performance.now() of the last progress message
  run: Promise<void>;
}

export interface BulkDeps extends ReplayDeps {
  now: () => number;
  logger: Logger;
}

/**
 * Bulk replays of an endpoint's captures, in capture order, `concurrency` at a time (1 = each
 * after the previous answered). Progress goes out as `bulk-progress` stream messages, each
 * result as `replay-result`. Cancelling stops taking new captures; requests in flight are aborted.
 */
export class BulkReplays {
  private jobs = new Map<string, RunningJob>();

  constructor(private readonly deps: BulkDeps) {}

  /** Selects the captures, checks the target and re-signing up front, then runs in the background. */
  async start(endpoint: Endpoint, request: BulkReplayRequest): Promise<BulkJob> {
    await this.deps.sender.check(request.url); // refuse before anything is sent (403)
    const ids = await selectCaptures(this.deps.store, endpoint.id, request.ids, request.filter);
    if (request.resign) signingFor(endpoint.verify, givenSecret(request.resign)); // a 400 now rather than a failure per capture
    const view: BulkJob = {
      jobId: randomBytes(9).toString('base64url'), endpointId: endpoint.id, url: request.url, createdAt: this.deps.now(),
      total: ids.length, done: 0, ok: 0, failed: 0, finished: false, cancelled: false, meanLatencyMs: null,
    };
    const job: RunningJob = { view, ids, request, endpoint, abort: new AbortController(), latencySum: 0, measured: 0, lastProgress: 0, run: Promise.resolve() };
    this.jobs.set(view.jobId, job);
    this.forgetOldJobs();
    job.run = this.run(job).catch((error: unknown) => this.deps.logger.error({ err: error, job: view.jobId }, `bulk replay ${view.jobId} failed`));
    return { ...view };
  }

  /** The job's counters, or null for an unknown (or long forgotten) job. */
  get(jobId: string): BulkJob | null {
    const job = this.jobs.get(jobId);
    return job ? { ...job.view } : null;
  }

  /** Stops the job; resolves once it has stopped (null for an unknown job). */
  async cancel(jobId: string): Promise<BulkJob | null> {
    const job = this.jobs.get(jobId);
    if (!job) return null;
    if (!job.view.finished) {
      job.view.cancelled = true;
      job.abort.abort();
    }
    await job.run;
    return { ...job.view };
  }

  /** Cancels every running job (server shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.jobs.keys()].map((id) => this.cancel(id)));
  }

  private async run(job: RunningJob): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (!job.view.cancelled && next < job.ids.length) await this.replayOne(job, job.ids[next++] as string);
    };
    await Promise.all(Array.from({ length: Math.min(job.request.concurrency, Math.max(job.ids.length, 1)) }, worker));
    job.view.finished = true;
    await this.progress(job, true);
  }

  private async replayOne(job: RunningJob, id: string): Promise<void> {
    const capture = await this.deps.store.get(id);
    if (job.view.cancelled) return;
    let attempt;
    if (!capture) {
      job.view.failed += 1; // deleted or evicted since the job started
    } else {
      try {
        attempt = (await replayCapture(this.deps, capture, job.endpoint, job.request, 'replay', job.abort.signal)).attempt;
      } catch (error) {
        if (!(error instanceof TargetRefusedError)) throw error;
        // The name resolved somewhere else than when the job started: record why, keep going.
        attempt = toAttempt({ startedAt: this.deps.now(), durationMs: 0, url: job.request.url, truncated: false, error: error.message }, 'replay');
        await recordAttempt(this.deps, capture.endpointId, capture.id, attempt);
      }
      if (attempt.error === 'cancelled' && job.view.cancelled) return;
      job.latencySum += attempt.durationMs;
      job.measured += 1;
      job.view.meanLatencyMs = Math.round((job.latencySum / job.measured) * 100) / 100;
      if (succeeded(attempt)) job.view.ok += 1;
      else job.view.failed += 1;
    }
    job.view.done += 1;
    await this.progress(job, false);
  }

  private async progress(job: RunningJob, final: boolean): Promise<void> {
    const at = performance.now();
    if (!final && at - job.lastProgress < PROGRESS_EVERY_MS) return;
    job.lastProgress = at;
    await this.deps.hub.publish({ type: 'bulk-progress', ...job.view });
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.finished);
    for (const job of finished.slice(0, Math.max(0, finished.length - KEPT_JOBS))) this.jobs.delete(job.view.jobId);
  }
}
