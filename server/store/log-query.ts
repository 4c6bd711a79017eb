import type { CaptureQuery, QueryTerm } from '../../shared/query';
import { headersMatch } from '../../shared/query-match';
import type { HeaderPairs } from '../../shared/capture';
import type { CaptureLog } from './capture-log';
import type { Entry } from './capture-index';
import { fieldPredicate } from './entry-match';
import { countMatches, planQuery, rangesNewestFirst } from './query-plan';
import { captureSearchText } from './query-scan';
import { encodeSearchRecord, parseSidecar, sidecarCovers, type SearchRecord } from './search-sidecar';
import type { CapturePage } from './store';

type DiskTerm = Extract<QueryTerm, { field: 'text' | 'header' }>;

/** A segment's search records by capture id, with the raw sidecar bytes. */
interface LoadedSidecar {
  data: Buffer;
  records: Map<string, SearchRecord>;
}

/** A lone surrogate makes byte search and string search disagree: such words skip the byte pre-filter. */
function byteSearchable(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** The entries of the segment entry `at` is in: a contiguous run, since ids and segments grow together. */
function segmentEntries(log: CaptureLog, at: number): Entry[] {
  const entries = log.index.entries;
  const segment = (entries.at(at) as Entry).segment;
  let lo = at;
  let hi = at + 1;
  while (lo > 0 && entries.at(lo - 1)?.segment === segment) lo--;
  while (hi < entries.length && entries.at(hi)?.segment === segment) hi++;
  return entries.slice(lo, hi);
}

/**
 * Answers a query over one endpoint's log with the reference semantics (shared/query-match.ts):
 * field terms are decided on the in-memory index; header and text terms on the per-segment
 * search sidecars, whose bytes are first searched whole (Buffer.indexOf) so a segment without a
 * required word is skipped unread. Newest first, from `before`, looking one match past the page
 * so `nextBefore` is null exactly when nothing older matches.
 */
export async function queryLog(log: CaptureLog, query: CaptureQuery, limit: number, before: string | undefined): Promise<CapturePage> {
  const entries = log.index.entries;
  const plan = planQuery(log.index, query.terms);
  const matchesFields = fieldPredicate(query.terms);
  const diskTerms = query.terms.filter((t): t is DiskTerm => t.field === 'text' || t.field === 'header');
  const required = diskTerms.filter((t) => t.field === 'text' && !t.negated && byteSearchable(t.value)).map((t) => Buffer.from((t as { value: string }).value));
  const found: Entry[] = [];
  let more = false;
  let sidecar = null as { segment: number; loaded: LoadedSidecar | null } | null;
  const reads = new SidecarReads(log);
  const end = before === undefined ? entries.length : entries.firstAtOrAfter(before);
  scan: for (const [lo, hi] of rangesNewestFirst(log.index, plan, end)) {
    for (let i = hi - 1; i >= lo; i--) {
      const entry = entries.at(i) as Entry;
      if (!matchesFields(entry)) continue;
      if (diskTerms.length > 0) {
        if (sidecar === null || sidecar.segment !== entry.segment) sidecar = { segment: entry.segment, loaded: await loadSidecar(log, segmentEntries(log, i), await reads.take(entry.segment), required) };
        if (!sidecar.loaded) continue; // a required word is nowhere in this segment
        let record = sidecar.loaded.records.get(entry.id);
        if (!record) {
          sidecar.loaded = await rebuildSidecar(log, segmentEntries(log, i), entry.segment);
          record = sidecar.loaded.records.get(entry.id);
          if (!record) continue; // deleted meanwhile
        }
        if (!diskTermsMatch(diskTerms, sidecar.loaded.data, record)) continue;
      }
      if (found.length === limit) {
        more = true;
        break scan;
      }
      found.push(entry);
    }
  }
  const items = await log.summaries(found);
  const last = items[items.length - 1];
  // Field terms alone are decided in memory: how many match in all is cheap to know when few entries are left to test.
  const matched = diskTerms.length === 0 ? countMatches(log.index, plan, matchesFields) : undefined;
  return { items, nextBefore: more && last ? last.id : null, total: log.size, ...(matched !== undefined && { matched }) };
}

function diskTermsMatch(terms: DiskTerm[], data: Buffer, record: SearchRecord): boolean {
  let text: string | undefined;
  let headers: HeaderPairs | undefined;
  for (const term of terms) {
    let hit: boolean;
    if (term.field === 'text') {
      text ??= data.toString('utf8', record.text[0], record.text[1]);
      hit = text.includes(term.value);
    } else {
      headers ??= JSON.parse(data.toString('utf8', record.headers[0], record.headers[1])) as HeaderPairs;
      hit = headersMatch(term, headers);
    }
    if (hit === term.negated) return false;
  }
  return true;
}

/**
 * Sidecar reads a few segments ahead of the scan (which goes from newer to older segments): a
 * body search reads thousands of small files, and one at a time it would wait on each.
 */
class SidecarReads {
  private ahead = new Map<number, Promise<Buffer | null>>();
  constructor(private readonly log: CaptureLog) {}

  take(segment: number): Promise<{ segment: number; data: Buffer }> {
    const read = this.ahead.get(segment) ?? this.read(segment);
    // Reads for segments the scan passed by are dropped (nothing holds them).
    const ahead = new Map<number, Promise<Buffer | null>>();
    for (let next = segment - 1; next >= segment - READ_AHEAD && next > 0; next--) {
      if (this.log.index.live.has(next)) ahead.set(next, this.ahead.get(next) ?? this.read(next));
    }
    this.ahead = ahead;
    return read.then((data) => ({ segment, data: data ?? Buffer.alloc(0) }));
  }

  private read(segment: number): Promise<Buffer | null> {
    const read = this.log.sidecars.read(segment);
    read.catch(() => undefined); // a failure surfaces when taken
    return read;
  }
}

const READ_AHEAD = 4; // segments

/** A segment's sidecar, or null when one of the required words is not in it at all. */
async function loadSidecar(log: CaptureLog, held: Entry[], { segment, data }: { segment: number; data: Buffer }, required: Buffer[]): Promise<LoadedSidecar | null> {
  if (data.length > 0 && required.some((word) => data.indexOf(word) === -1)) {
    // Only trustworthy when the sidecar covers every retained capture of the segment.
    return sidecarCovers(data, held.map((e) => e.id)) ? null : rebuildSidecar(log, held, segment);
  }
  return indexSidecar(data);
}

function indexSidecar(data: Buffer): LoadedSidecar {
  return { data, records: new Map(parseSidecar(data).map((record) => [record.id, record])) };
}

/** Recomputes a segment's sidecar from its captures (missing after a crash, or from before sidecars existed). */
async function rebuildSidecar(log: CaptureLog, held: Entry[], segment: number): Promise<LoadedSidecar> {
  const records: Buffer[] = [];
  for (const entry of held) {
    const capture = await log.read(entry.id);
    if (capture) records.push(encodeSearchRecord(capture.id, capture.headers, captureSearchText(capture)));
  }
  await log.sidecars.replace(segment, records);
  return indexSidecar(Buffer.concat(records));
}
