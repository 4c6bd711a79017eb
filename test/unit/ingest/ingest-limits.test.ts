import { describe, expect, it } from 'vitest';
import { IngestLimits, type BusyReason } from '../../../server/ingest/ingest-limits';
import { SMALL_BODY } from '../../../server/ingest/memory-budget';
import { PeerUploads } from '../../../server/ingest/peer-uploads';

const MiB = 1024 * 1024;

describe('per-peer upload cap', () => {
  it('refuses a peer at its cap and lets it in again once an upload ends', () => {
    const peers = new PeerUploads(2);
    const a = peers.tryEnter('203.0.113.7');
    const b = peers.tryEnter('::ffff:203.0.113.7'); // the same peer, mapped
    expect(a && b).toBeTruthy();
    expect(peers.tryEnter('203.0.113.7')).toBeNull();
    expect(peers.tryEnter('203.0.113.8')).not.toBeNull(); // another peer is not affected
    a?.();
    a?.(); // idempotent
    expect(peers.inFlight('203.0.113.7')).toBe(1);
    expect(peers.tryEnter('203.0.113.7')).not.toBeNull();
  });

  it('counts an IPv6 /64 as one peer', () => {
    const peers = new PeerUploads(1);
    expect(peers.tryEnter('2001:db8:0:1::1')).not.toBeNull();
    expect(peers.tryEnter('2001:db8:0:1:ffff::2')).toBeNull();
    expect(peers.tryEnter('2001:db8:0:2::1')).not.toBeNull();
    expect(peers.total).toBe(2);
  });
});

describe('ingest limits (admission)', () => {
  const limits = (refused: BusyReason[] = []) =>
    new IngestLimits({ memoryBudget: 64 * MiB, perBodyByte: 2.5, peerUploads: 2, now: () => 0, observer: { refused: (reason) => refused.push(reason) } });

  it('counts only large or unknown-length uploads against the peer cap', () => {
    const reasons: BusyReason[] = [];
    const l = limits(reasons);
    const big = [l.admit('10.0.0.1', 1 * MiB), l.admit('10.0.0.1', null)];
    expect(big.every((a) => a.ok)).toBe(true);
    const third = l.admit('10.0.0.1', SMALL_BODY + 1);
    expect(third).toMatchObject({ ok: false, reason: 'peer', retryAfterSec: 5, message: expect.stringMatching(/too many large uploads at once from 10\.0\.0\.1/) });
    expect(l.admit('10.0.0.1', SMALL_BODY).ok).toBe(true); // small deliveries are bounded by the budget alone
    expect(reasons).toEqual(['peer']);
  });

  it('refuses over the budget and gives the peer slot back', () => {
    const reasons: BusyReason[] = [];
    const l = limits(reasons);
    const held = l.admit('10.0.0.1', 23 * MiB); // charged 57.5 MiB of 60 MiB (64 less the small-body headroom)
    const refused = l.admit('10.0.0.2', 2 * MiB);
    expect(refused).toMatchObject({ ok: false, reason: 'memory', message: expect.stringMatching(/ingest memory budget/) });
    expect(l.peers.inFlight('10.0.0.2')).toBe(0);
    expect(reasons).toEqual(['memory']);
    if (held.ok) held.upload.release();
    expect(l.budget.used).toBe(0);
    expect(l.peers.total).toBe(0);
    expect(l.admit('10.0.0.2', 2 * MiB).ok).toBe(true);
  });
});
