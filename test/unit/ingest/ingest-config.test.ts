import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';

describe('ingest limits configuration', () => {
  it('defaults to a 256 MiB budget and 8 large uploads per peer', () => {
    const config = loadConfig([], {});
    expect(config.ingestMemoryBudget).toBe(256 * 1024 * 1024);
    expect(config.ingestPeerUploads).toBe(8);
  });

  it('takes sizes as --body-limit does, from flags (which win) or the environment', () => {
    expect(loadConfig(['--ingest-memory-budget', '64mb'], {}).ingestMemoryBudget).toBe(64 * 1024 * 1024);
    expect(loadConfig([], { HOOKSCOPE_INGEST_MEMORY_BUDGET: '1gb' }).ingestMemoryBudget).toBe(1024 ** 3);
    expect(loadConfig(['--ingest-memory-budget', '128mb'], { HOOKSCOPE_INGEST_MEMORY_BUDGET: '1gb' }).ingestMemoryBudget).toBe(128 * 1024 * 1024);
    expect(loadConfig([], { HOOKSCOPE_INGEST_PEER_UPLOADS: '3' }).ingestPeerUploads).toBe(3);
  });

  it('refuses a budget that could never hold one body of the body limit, naming both options', () => {
    expect(() => loadConfig(['--ingest-memory-budget', '15mb'], {})).toThrow(/--ingest-memory-budget \/ HOOKSCOPE_INGEST_MEMORY_BUDGET: .*--body-limit.*at least 16777216 \(with --store lowdb each upload is charged 1.5× its body\)/s);
    expect(() => loadConfig(['--ingest-memory-budget', '16mb', '--store', 'postgres', '--database-url', 'postgres://h@127.0.0.1/h'], {})).toThrow(/at least 33554432 \(with --store postgres each upload is charged 3× its body\)/);
    expect(loadConfig(['--ingest-memory-budget', '16777216'], {}).ingestMemoryBudget).toBe(16777216);
    expect(loadConfig(['--ingest-memory-budget', '10mb', '--body-limit', '1mb'], {}).ingestMemoryBudget).toBe(10 * 1024 * 1024);
    expect(() => loadConfig(['--ingest-peer-uploads', '0'], {})).toThrow(/--ingest-peer-uploads/);
    expect(() => loadConfig(['--ingest-memory-budget', 'lots'], {})).toThrow(/HOOKSCOPE_INGEST_MEMORY_BUDGET/);
  });
});
