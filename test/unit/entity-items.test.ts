// Items read from the table are parsed as entities, not cast: a malformed one fails at the
// adapter, naming the entity and the fields (never their values), and everything else of a
// well-formed item passes through untouched.
import { describe, expect, it } from 'vitest';
import {
  BATCH_ITEM,
  BATCH_ROW_ITEM,
  BLACKLIST_ENTRY_ITEM,
  CERTIFICATE_ITEM,
  CHECK_IN_ITEM,
  FEED_ENTRY_ITEM,
  GATE_COUNTING_ITEM,
  GATE_VIEW_ITEM,
  IMPORT_ITEM,
  IMPORT_ROW_ITEM,
  INBOX_MESSAGE_ITEM,
  PERSON_ITEM,
  REGISTRY_SETTINGS_ITEM,
  SITE_ITEM,
  SPOT_CHECK_ITEM,
  SUBCONTRACTOR_ITEM,
  TENANT_ITEM,
  TICKET_JOB_ITEM,
  USER_ITEM,
  WORK_TICKET_ITEM,
} from '../../functions/domain/entities.ts';
import {
  MalformedItem,
  parseItem,
  parseItems,
  parseOptionalItem,
} from '../../functions/shared/dynamo/items.ts';

const person = {
  pk: 'T#acme',
  sk: 'PERSON#per_1',
  tenantId: 'acme',
  personId: 'per_1',
  name: '张伟',
  idHash: 'h'.repeat(64),
  idNumberMasked: '330***********123X',
  employer: { type: 'own' },
  status: {
    color: 'red',
    gateAccess: 'frozen',
    dispatch: 'frozen',
    reasons: [{ code: 'no_certificate' }],
    computedOn: '2026-06-01',
  },
  version: 3,
  createdAt: '2026-06-01T02:00:00.000Z',
  createdBy: 'hr-1',
  homeSiteId: 'site_a',
};

describe('entity items', () => {
  it('passes a well-formed item through whole, keys and optional fields included', () => {
    expect(parseItem(PERSON_ITEM, 'person', person)).toEqual(person);
    expect(parseOptionalItem(PERSON_ITEM, 'person', undefined)).toBeUndefined();
  });

  it.each([
    ['a missing identity', { ...person, personId: undefined }, 'personId'],
    ['a colour no rule knows', { ...person, status: { ...person.status, color: 'blue' } }, 'status.color'],
    ['a version that is text', { ...person, version: '3' }, 'version'],
    ['an employer of no known type', { ...person, employer: { type: 'agency' } }, 'employer.type'],
    [
      'a reason without its code',
      { ...person, status: { ...person.status, reasons: [{}] } },
      'status.reasons.0.code',
    ],
  ])('refuses %s, naming the field and not the value', (_, item, field) => {
    let thrown: unknown;
    try {
      parseItem(PERSON_ITEM, 'person', item);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MalformedItem);
    expect((thrown as MalformedItem).entity).toBe('person');
    expect((thrown as MalformedItem).fields.join()).toContain(field);
    expect((thrown as Error).message).not.toContain('张伟');
  });

  it('fails a page of items on the first malformed one', () => {
    expect(() => parseItems(PERSON_ITEM, 'person', [person, { ...person, name: '' }])).toThrow(
      /malformed person item: name/,
    );
  });

  it.each([
    [
      'certificate',
      CERTIFICATE_ITEM,
      {
        tenantId: 'a',
        personId: 'p',
        certificateId: 'c',
        scheme: 'MEM',
        category: 'welding',
        numberMasked: 'T***',
        numberHash: 'h',
        issuedOn: '2020-01-01',
        expiresOn: '2026-01-01',
        reviewDueOn: null,
        createdAt: 'x',
      },
      { scheme: 'OSHA' },
    ],
    ['subcontractor', SUBCONTRACTOR_ITEM, { subcontractorId: 's', name: '华信' }, { name: '' }],
    [
      'work-ticket',
      WORK_TICKET_ITEM,
      { ticketId: 't', siteId: 's', type: 'hot_work', status: 'active', version: 1 },
      { status: 'paused' },
    ],
    [
      'blacklist-entry',
      BLACKLIST_ENTRY_ITEM,
      {
        tenantId: 'a',
        entryId: 'e',
        personId: 'p',
        state: 'active',
        reasonCode: 'forgery',
        expiresOn: '2029-01-01',
        version: 1,
      },
      { expiresOn: '2029/01/01' },
    ],
    [
      'site',
      SITE_ITEM,
      { siteId: 's', name: '一厂', code: 'P1', location: { lat: 31.2, lng: 121.4 }, createdAt: 'x' },
      { location: { lat: '31.2', lng: 121.4 } },
    ],
    [
      'gate view',
      GATE_VIEW_ITEM,
      {
        personId: 'p',
        nameMasked: '张*',
        color: 'green',
        gateAccess: 'allowed',
        reasons: [],
        quiz_s: 'passed',
        recentIns: [{ siteId: 's', at: 'x' }],
      },
      { gateAccess: 'open' },
    ],
    ['gate counting', GATE_COUNTING_ITEM, { counted: { siteId: 's' }, cv: 4 }, { cv: -1 }],
    ['check-in', CHECK_IN_ITEM, { at: 'x', direction: 'in', siteId: 's', gateId: 'g' }, { direction: 'up' }],
    [
      'batch',
      BATCH_ITEM,
      {
        batchId: 'b',
        format: 'csv',
        status: 'processing',
        total: 3,
        processed: 1,
        counts: { ok: 1 },
        createdAt: 'x',
      },
      { counts: { ok: -1 } },
    ],
    ['batch row', BATCH_ROW_ITEM, { row: 2, kind: 'certificate', display: 'T1' }, { kind: 'other' }],
    [
      'import',
      IMPORT_ITEM,
      {
        importId: 'i',
        format: 'xlsx',
        status: 'completed',
        total: 2,
        processed: 2,
        counts: {},
        startedAt: 'x',
      },
      { processed: 1.5 },
    ],
    ['import row', IMPORT_ROW_ITEM, { row: 7, outcome: 'refused', problems: [] }, { outcome: 'skipped' }],
    [
      'inbox message',
      INBOX_MESSAGE_ITEM,
      { messageId: 'm', mailbox: 'person:p', kind: 'status_changed', personId: 'p', createdAt: 'x' },
      { messageId: undefined },
    ],
    [
      'spot check',
      SPOT_CHECK_ITEM,
      { spotCheckId: 'c', personId: 'p', siteId: 's', passed: false, at: 'x', note: '' },
      { passed: 'no' },
    ],
    [
      'job',
      TICKET_JOB_ITEM,
      { ticketId: 't', siteId: 's', type: 'hot_work', from: 'a', to: 'b' },
      { to: '' },
    ],
    [
      'feed entry',
      FEED_ENTRY_ITEM,
      {
        entryRef: 'e',
        version: 2,
        action: 'remove',
        pseudonym: 'ps',
        reasonCode: 'forgery',
        expiresOn: '2029-01-01',
        at: 'x',
      },
      { action: 'delete' },
    ],
    [
      'registry settings',
      REGISTRY_SETTINGS_ITEM,
      { unifiedSocialCreditCode: '9133', updatedAt: 'x' },
      { updatedAt: 1 },
    ],
    [
      'user',
      USER_ITEM,
      { userId: 'u', tenantId: 'a', role: 'site_manager', state: 'active', siteIds: ['s'], createdAt: 'x' },
      { role: 'safety_officer' },
    ],
    [
      'tenant',
      TENANT_ITEM,
      { tenantId: 'a', name: '华建', state: 'active', settings: { profile: 'china' }, version: 1 },
      { settings: { profile: 'eu' } },
    ],
  ])('reads a %s item and refuses a broken one', (entity, schema, good, broken) => {
    expect(parseItem(schema, entity, good)).toEqual(good);
    expect(() => parseItem(schema, entity, { ...good, ...broken })).toThrow(MalformedItem);
  });
});
