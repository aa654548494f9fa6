import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { peopleDigest, ticketRefClaims } from '../../functions/tickets/ticket-document.ts';
import type { WorkTicket } from '../../functions/tickets/ticket-lifecycle.ts';

const sha256 = (t: string) => createHash('sha256').update(t).digest();
const crew = {
  workers: [
    { personId: 'per_a', role: 'welder' },
    { personId: 'per_b', role: 'fire_watcher' },
  ],
  leaderId: 'per_l',
  guardianId: 'per_g',
};

describe('the QR’s compact core', () => {
  it('binds who is on the ticket and as what, whatever the order of the list', () => {
    const base = peopleDigest(crew, sha256);
    expect(base).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(peopleDigest({ ...crew, workers: [...crew.workers].reverse() }, sha256)).toBe(base);
    for (const changed of [
      {
        ...crew,
        workers: [{ personId: 'per_a', role: 'cutter' }, crew.workers[1] as (typeof crew.workers)[number]],
      },
      {
        ...crew,
        workers: [
          crew.workers[0] as (typeof crew.workers)[number],
          { personId: 'per_x', role: 'fire_watcher' },
        ],
      },
      { ...crew, leaderId: 'per_x' },
      { ...crew, guardianId: undefined },
      { ...crew, leaderId: 'per_g', guardianId: 'per_l' },
    ])
      expect(peopleDigest(changed, sha256)).not.toBe(base);
  });

  it('stays small with twenty named workers: no names, no person ids', () => {
    const ticket = {
      ticketId: 'tkt_01M95NNG0APM4S3Z82ZBBYAWBM',
      siteId: 'site_01M95NNG0APM4S3Z82ZBBYAWBM',
      type: 'hot_work',
      grade: '2',
      plannedFrom: '2026-12-01T00:00:00.000Z',
      plannedTo: '2026-12-03T00:00:00.000Z',
      status: 'approved',
      workers: Array.from({ length: 20 }, (_, i) => ({
        personId: `per_01M95NNG0APM4S3Z82ZBBYA${String(i).padStart(3, '0')}`,
        role: 'welder',
      })),
      leaderId: 'per_l',
      names: { per_l: '张*' },
    } as unknown as WorkTicket;
    const claims = ticketRefClaims('demo-group', ticket, sha256);
    expect(claims).toMatchObject({
      sub: ticket.ticketId,
      ten: 'demo-group',
      t: 'hot_work',
      g: '2',
      st: 'approved',
      n: 20,
    });
    const json = JSON.stringify(claims);
    expect(json.length).toBeLessThan(250);
    expect(json).not.toContain('per_');
    expect(json).not.toContain('张');
  });
});
