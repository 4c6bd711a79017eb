/** One thing an integrity check (start-up or `hookscope check`) found wrong. */
export interface DamageFinding {
  /** Where: a file relative to the data folder (`captures/<endpoint>/00000003.jsonl`), or a table. */
  where: string;
  /** Which record, when known: a capture id, a line number, a segment. */
  record?: string;
  /** What is wrong, one sentence a person understands. */
  problem: string;
  /** What is lost or unreadable because of it (e.g. "12 acknowledged captures"), when known. */
  lost?: string;
}

/** What `hookscope check` prints, and what start-up refuses on. */
export interface IntegrityReport {
  /** The store checked (`lowdb ./data`, `postgres db@host`). */
  store: string;
  checked: { endpoints: number; captures: number; bytes: number };
  findings: DamageFinding[];
  /** With `--repair`: what was moved away, and where to (nothing is deleted). */
  repaired: { what: string; movedTo: string }[];
  /** Facts that are not damage (an unfinished write a crash left, a folder in an older format). */
  notes?: string[];
}
