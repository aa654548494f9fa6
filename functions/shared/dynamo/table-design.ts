// The single table: its key schema and indexes, and the key builders for every item.
// CDK (infra/stacks/data-stack.ts) and the local runtime (infra/local/provision.ts) both
// build the table from TABLE_DESIGN, so the two can never drift apart.
//
// Access patterns (one line each; every key starts with the tenant):
//  1. Get a person                          GetItem  pk=T#t#PERSON#p  sk=PROFILE
//  2. List a person's certificates          Query    pk=T#t#PERSON#p  sk begins_with CERT#
//  3. ID number already registered?         GetItem/ConditionCheck pk=T#t#IDHASH#h sk=IDHASH
//  4. Certificate already entered?          ConditionCheck pk=T#t#CERTKEY#… sk=CERTKEY
//  5. List sites / get a site               Query    pk=T#t  sk begins_with SITE# / GetItem sk=SITE#s
//  6. Site code taken?                      ConditionCheck pk=T#t  sk=SITECODE#code
//  7. Tenant settings                       GetItem  pk=T#t  sk=SETTINGS#name
//  8. People in the tenant (by colour)      Query GSI1 gsi1pk=T#t#PEOPLE            gsi1sk begins_with COLOR#c#
//  9. People of a site (by colour)          Query GSI2 gsi2pk=T#t#SITE#s#PEOPLE     gsi2sk begins_with COLOR#c#
// 10. People of a subcontractor (by colour) Query GSI3 gsi3pk=T#t#SUB#sc#PEOPLE     gsi3sk begins_with COLOR#c#
// 11. Audit trail of a tenant for a day     Query    pk=T#t#AUDIT#yyyy-mm-dd  (sk = ISO time#id, append-only)
// 12. Gate view of a person (gate decision) GetItem  pk=T#t#PERSON#p  sk=GATE
// 13. Status history of a person            Query    pk=T#t#PERSON#p  sk begins_with HISTORY# (newest last)
// 14. Inbox of a mailbox                    Query    pk=T#t#INBOX#<mailbox>  sk = ISO time#id
// 15. People whose status may change on day D (daily sweep, all tenants)
//                                           Query GSI4 gsi4pk=SWEEP#D#shard (0..SWEEP_SHARDS-1), keys only
// 16. Job state (last completed sweep day)  GetItem  pk=SYSTEM#JOBS  sk=<job name>
// 17. Certificates by number in a tenant    Query    pk=T#t#CERTNUM#<number hash>  (one item per certificate)
// 19. Badge → person (gate decision read 1)  GetItem  pk=T#t#BADGE#<UID> sk=BADGE
// 20. A person's badges                     Query    pk=T#t#PERSON#p sk begins_with BADGE#
// 22. People on site now (heat map)        Query GSI2 gsi2pk=T#t#ONSITE gsi2sk begins_with SITE#s#
// 21. A gate scan (idempotent per gate)     Put-if-absent pk=T#t#SCAN#<site>:<gate>#<scanId> sk=SCAN
// 23. Site safety notice + question pool   GetItem  pk=T#t  sk=SITESAFETY#s
// 24. Site entry policy (gate decision)    BatchGet with the badge: pk=T#t  sk=SITEPOLICY#s
// 25. A quiz                               GetItem  pk=T#t#QUIZ#q  sk=QUIZ
//     (a person's quiz state per site is an attribute `quiz_<siteId>` of their gate view)
// 26. A tenant's badges (allowlists)      Query GSI3 gsi3pk=T#t#BADGES
// 27. Every gate of every tenant           Query GSI3 gsi3pk=GATES  gsi3sk=T#t#GATE#g
// 28. Allowlists to republish              Query GSI4 gsi4pk=ALLOWLIST#DIRTY (markers on the
//     changed items themselves: gate view, badge, site policy, gate — no shared hot item)
// 29. Allowlist version of a site          UpdateItem ADD pk=T#t  sk=ALLOWLIST#s
// 30. Monthly health-report snapshots     Query    pk=T#t  sk begins_with REPORT#  (sk=REPORT#yyyy-mm)
// 31. A work ticket                        GetItem  pk=T#t#TICKET#k  sk=TICKET (version-guarded puts)
// 32. Open tickets of a site (permit board) Query GSI2 gsi2pk=T#t#SITE#s#TICKETS gsi2sk begins_with OPEN#
// 33. A person's open tickets (guardian load) Query pk=T#t#PERSON#p sk begins_with TICKET# (marked ended, left
//     to TTL, when the ticket ends; the gate view's `openTickets` set names them for the status write that suspends them)
// 34. A person's work history (last ticket per type, practical re-exams)  GetItem pk=T#t#PERSON#p sk=WORKHISTORY
// 35. A person's closed tickets (job history)  Query pk=T#t#PERSON#p sk begins_with JOB# (newest last)
// 36. A cross-site permit                  GetItem  pk=T#t#PERMIT#id  sk=PERMIT (signatures, task tokens)
// 37. A person's cross-site permits         Query    pk=T#t#PERSON#p  sk begins_with PERMIT# (status set by the workflow)
// 38. A person's consents (PIPL ledger)   Query    pk=T#t#PERSON#p  sk begins_with CONSENT#<purpose>#<givenAt>
// 39. An admission flow                    GetItem  pk=T#t#ONBOARDING#o  sk=ONBOARDING (version-guarded puts)
// 40. A person's admission flows           Query    pk=T#t#PERSON#p  sk begins_with ONBOARDING# (links)
// 42. A worker's code epoch (O2)          GetItem  pk=T#t#PERSON#p  sk=CODEEPOCH (ADD 1 revokes every code issued so far)
// 43. A tenant's signing key (worker codes) GetItem pk=T#t  sk=SIGNKEY#<purpose>  (KMS key ARN and its public JWK)
// 44. Signing keys by kid (verify, JWKS)   GetItem/Query pk=SIGNKEYS  sk=KID#<kid>  (all tenants: one item per tenant key)
// 45. Blacklist entries of a tenant (O4)  Query pk=T#t sk begins_with BLACKLIST# / GetItem sk=BLACKLIST#<entryId>
//     (the hold itself rides on the person's profile and gate view: `blacklist`, read with them);
//     own entries in force by expiry day: GSI4 gsi4pk=BLACKLIST#EXPIRES#<day> (the expiry reaches partners)
// 46. People by alliance pseudonym (O4)   Query pk=PSEUDONYM#<p> sk begins_with T# (sk=T#t#PERSON#p: every tenant's person with that
//     ID number; the one key not led by a tenant, by design: a partner's entry is matched across member tenants);
//     partners' entries in force on that pseudonym: sk begins_with ENTRY# (a person registered later is found too)
// 47. Federation (service-wide, O4): partners pk=FEDERATION sk=PARTNER#id; request nonces pk=FEDNONCE#partner#nonce
//     (put-if-absent, TTL); OPRF rate pk=FEDRATE#partner sk=<minute>|DAY#<day>; the change feed partners pull
//     pk=FEDFEED sk=<ISO time>#<entryId>#<version>; a partner entry's landings pk=FEDREF#partner#ref sk=T#t;
//     deliveries of an entry version pk=FEDDELIVERY#<entryId>#<version> sk=PARTNER#id (written by the workflow);
//     failed ones also on GSI4 gsi4pk=DELIVERY#RETRY until delivered (the hourly re-run)
// 49. Tenants and users (the product's user directory): a tenant   GetItem pk=T#t sk=TENANT (every tenant:
//     Query GSI3 gsi3pk=TENANTS); its users pk=T#t sk begins_with USER# (platform operators under pk=PLATFORM),
//     page by page; its active group admins Query GSI2 gsi2pk=T#t#ADMINS (sparse: only those carry it);
//     who signs in as whom GetItem pk=LOGIN#<issuer>#<subject> sk=LOGIN (read on every call, cached 60 s);
//     an open invitation pk=INVITE#<sha256 of the code> sk=INVITE (TTL); a tenant's credit code pk=TENANTUSCC#<code>
// 47b. Insurers (E2): an insurer is a webhook subscription with terms; its acknowledgements
//     pk=T#t#WEBHOOK#<id> sk=ACK#<eventId>; their nonces pk=T#t#INSNONCE#<id>#<nonce> (put-if-absent, TTL);
//     the cover it last told us for a person pk=T#t#PERSON#p sk=INSURANCE#<id>
// 47c. The regulator's file (E3): a person's documents pk=T#t#PERSON#p sk=DOCUMENT#<id>; an archive
//     pk=T#t#ARCHIVE#a sk=ARCHIVE (progress), its shared links sk=SHARE#<id>; a link by its token's hash
//     pk=SHARETOKEN#<sha256> sk=SHARE (the inspector's request; TTL past its expiry)
// 47d. The audit chain: each audit record carries `hash` (written with it); the daily seal stamps `seq` and
//     `prevHash` on a day's records and puts pk=T#t#AUDITSEAL sk=<day> (head, count, previous head, JWS; if absent)
// 48. Spot checks of a month (O5)        Query pk=T#t#SPOTCHECK#yyyy-mm (sk = ISO time#id); subcontractor report
//     snapshots pk=T#t sk=SUBREPORT#yyyy-mm (the trend shows months as reported)
// 49. Notifications (N1–N3): an inbox message waiting for the channels carries GSI4 gsi4pk=NOTIFY#PENDING
//     (the relay queues it and removes the marker); per message × channel delivery records
//     pk=T#t#NOTIFY#<messageId> sk=CH#<channel>; a person's delivery log pk=T#t#PERSON#p sk=NOTIFY#<at>#<messageId>;
//     a sent SMS waiting for its receipt also on GSI4 gsi4pk=RECEIPT#PENDING (gsi4sk = send time…; removed when read);
//     the message's header (person, kind, alerted) pk=T#t#NOTIFY#<messageId> sk=HEADER;
//     channel bindings pk=T#t#PERSON#p sk=BINDINGS (with a WeCom user id also on GSI3 gsi3pk=T#t#WECOMBOUND,
//     the binding check's page-by-page read); SMS used in a month pk=T#t sk=SMSQUOTA#yyyy-mm (ADD, conditioned)
// 41. Image-hash band (forgery reuse)    Query    pk=T#t#IMGHASH#<card|photo>#<band index>:<16 bits>  (one item per
//     image; a look-up reads the 4 bands of each hash: near duplicates are key look-ups, never a tenant scan)
// 18. A batch and its rows                  GetItem  pk=T#t#BATCH#b sk=META / Query sk begins_with ROW#
// 52. A tenant's violations by day (E4's trend) Query GSI1 gsi1pk=T#t#VIOLATIONS gsi1sk >= <occurredOn>
// 53. Documents whose retention ended (E3)  Query GSI4 gsi4pk=RECORDS#KEEP gsi4sk < <today> (a stored document
//     carries gsi4sk = <keepUntil>#T#t#PERSON#p#<documentId>; the daily records-expiry job's read, keys only);
//     declarations never completed: GSI4 gsi4pk=RECORDS#DECLARED gsi4sk < <cut-off> (gsi4sk = <createdAt>#…,
//     replaced by the RECORDS#KEEP key when the document is stored)
// Colour filters are key conditions on an index, never a filter over the whole tenant.

export interface IndexDesign {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  projection: 'ALL' | 'KEYS_ONLY';
}

/** The sweep index is sharded so that one busy day never makes one hot partition. */
export const SWEEP_SHARDS = 8;

export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'ALL' },
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'ALL' },
    { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', projection: 'KEYS_ONLY' },
  ] satisfies IndexDesign[],
} as const;

export type PeopleIndex = 'gsi1' | 'gsi2' | 'gsi3';

const t = (tenantId: string) => `T#${tenantId}`;

export const keys = {
  tenantPrefix: (tenantId: string) => `${t(tenantId)}#`,
  person: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: 'PROFILE',
  }),
  certificate: (tenantId: string, personId: string, certificateId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `CERT#${certificateId}`,
  }),
  certificatesOf: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    skPrefix: 'CERT#',
  }),
  idNumber: (tenantId: string, idHash: string) => ({ pk: `${t(tenantId)}#IDHASH#${idHash}`, sk: 'IDHASH' }),
  certificateNaturalKey: (tenantId: string, parts: string[]) => ({
    pk: `${t(tenantId)}#CERTKEY#${parts.join('#')}`,
    sk: 'CERTKEY',
  }),
  site: (tenantId: string, siteId: string) => ({ pk: t(tenantId), sk: `SITE#${siteId}` }),
  subcontractor: (tenantId: string, subcontractorId: string) => ({
    pk: t(tenantId),
    sk: `SUBCONTRACTOR#${subcontractorId}`,
  }),
  consent: (tenantId: string, personId: string, purpose: string, givenAt: string, consentId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `CONSENT#${purpose}#${givenAt}#${consentId}`,
  }),
  consentsOf: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    skPrefix: 'CONSENT#',
  }),
  onboarding: (tenantId: string, onboardingId: string) => ({
    pk: `${t(tenantId)}#ONBOARDING#${onboardingId}`,
    sk: 'ONBOARDING',
  }),
  onboardingLink: (tenantId: string, personId: string, onboardingId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `ONBOARDING#${onboardingId}`,
  }),
  codeEpoch: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: 'CODEEPOCH',
  }),
  tenantSigningKey: (tenantId: string, purpose: string) => ({ pk: t(tenantId), sk: `SIGNKEY#${purpose}` }),
  signingKid: (kid: string) => ({ pk: 'SIGNKEYS', sk: `KID#${kid}` }),
  signingKids: () => ({ pk: 'SIGNKEYS', skPrefix: 'KID#' }),
  blacklistEntry: (tenantId: string, entryId: string) => ({ pk: t(tenantId), sk: `BLACKLIST#${entryId}` }),
  blacklistEntries: (tenantId: string) => ({ pk: t(tenantId), skPrefix: 'BLACKLIST#' }),
  /** Own entries in force, by the day they expire (GSI4, keys only): the daily expiry job's read. */
  blacklistExpiry: (tenantId: string, entryId: string, expiresOn: string) => ({
    gsi4pk: `BLACKLIST#EXPIRES#${expiresOn}`,
    gsi4sk: `${t(tenantId)}#${entryId}`,
  }),
  blacklistExpiringOn: (expiresOn: string) => ({
    index: 'gsi4' as const,
    pk: `BLACKLIST#EXPIRES#${expiresOn}`,
  }),
  pseudonymIndex: (pseudonym: string, tenantId: string, personId: string) => ({
    pk: `PSEUDONYM#${pseudonym}`,
    sk: `${t(tenantId)}#PERSON#${personId}`,
  }),
  peopleByPseudonym: (pseudonym: string) => ({ pk: `PSEUDONYM#${pseudonym}`, skPrefix: 'T#' }),
  /** A partner's entry kept by pseudonym: a person registered later is still found (O4). */
  partnerEntryByPseudonym: (pseudonym: string, partnerId: string, entryRef: string) => ({
    pk: `PSEUDONYM#${pseudonym}`,
    sk: `ENTRY#${partnerId}#${entryRef}`,
  }),
  partnerEntriesByPseudonym: (pseudonym: string) => ({ pk: `PSEUDONYM#${pseudonym}`, skPrefix: 'ENTRY#' }),
  partner: (partnerId: string) => ({ pk: 'FEDERATION', sk: `PARTNER#${partnerId}` }),
  partners: () => ({ pk: 'FEDERATION', skPrefix: 'PARTNER#' }),
  federationNonce: (partnerId: string, nonce: string) => ({
    pk: `FEDNONCE#${partnerId}#${nonce}`,
    sk: 'NONCE',
  }),
  federationRate: (partnerId: string, minute: string) => ({ pk: `FEDRATE#${partnerId}`, sk: minute }),
  federationDailyCount: (partnerId: string, day: string) => ({
    pk: `FEDRATE#${partnerId}`,
    sk: `DAY#${day}`,
  }),
  federationFeed: () => ({ pk: 'FEDFEED' }),
  feedItem: (at: string, entryId: string, version: number) => ({
    pk: 'FEDFEED',
    sk: `${at}#${entryId}#${String(version).padStart(4, '0')}`,
  }),
  delivery: (entryRef: string, version: number, partnerId: string) => ({
    pk: `FEDDELIVERY#${entryRef}#${version}`,
    sk: `PARTNER#${partnerId}`,
  }),
  deliveriesOf: (entryRef: string, version: number) => ({ pk: `FEDDELIVERY#${entryRef}#${version}` }),
  /** Deliveries that failed, until one succeeds (the hourly re-run reads them: GSI4, keys only). */
  deliveryRetry: (entryRef: string, version: number, partnerId: string, at: string) => ({
    gsi4pk: 'DELIVERY#RETRY',
    gsi4sk: `${at}#${entryRef}#${version}#${partnerId}`,
  }),
  deliveryRetryQuery: () => ({ index: 'gsi4' as const, pk: 'DELIVERY#RETRY' }),
  inboundLinks: (partnerId: string, entryRef: string) => ({ pk: `FEDREF#${partnerId}#${entryRef}` }),
  inboundLink: (partnerId: string, entryRef: string, tenantId: string) => ({
    pk: `FEDREF#${partnerId}#${entryRef}`,
    sk: t(tenantId),
  }),
  imageHashBand: (tenantId: string, kind: 'card' | 'photo', band: string) => ({
    pk: `${t(tenantId)}#IMGHASH#${kind}#${band}`,
  }),
  /** An analysed certificate image's detail prints, on its holder's partition. */
  imagePrints: (tenantId: string, personId: string, imageRef: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `IMGPRINT#${imageRef}`,
  }),
  onboardingsOf: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    skPrefix: 'ONBOARDING#',
  }),
  subcontractors: (tenantId: string) => ({ pk: t(tenantId), skPrefix: 'SUBCONTRACTOR#' }),
  /** One subcontractor per unified social credit code in a tenant. */
  subcontractorCode: (tenantId: string, uscc: string) => ({ pk: t(tenantId), sk: `SUBUSCC#${uscc}` }),
  sites: (tenantId: string) => ({ pk: t(tenantId), skPrefix: 'SITE#' }),
  siteCode: (tenantId: string, code: string) => ({ pk: t(tenantId), sk: `SITECODE#${code}` }),
  settings: (tenantId: string, name: string) => ({ pk: t(tenantId), sk: `SETTINGS#${name}` }),
  gateView: (tenantId: string, personId: string) => ({ pk: `${t(tenantId)}#PERSON#${personId}`, sk: 'GATE' }),
  statusHistory: (tenantId: string, personId: string, at: string, id: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `HISTORY#${at}#${id}`,
  }),
  statusHistoryOf: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    skPrefix: 'HISTORY#',
  }),
  inbox: (tenantId: string, mailbox: string, at: string, id: string) => ({
    pk: `${t(tenantId)}#INBOX#${mailbox}`,
    sk: `${at}#${id}`,
  }),
  inboxOf: (tenantId: string, mailbox: string) => ({ pk: `${t(tenantId)}#INBOX#${mailbox}` }),
  notifyPending: (at: string, tenantId: string, messageId: string) => ({
    gsi4pk: 'NOTIFY#PENDING',
    gsi4sk: `${at}#${t(tenantId)}#${messageId}`,
  }),
  notifyPendingQuery: () => ({ index: 'gsi4' as const, pk: 'NOTIFY#PENDING' }),
  /** A webhook subscription of a tenant; its deliveries' log beside it. */
  webhook: (tenantId: string, webhookId: string) => ({ pk: t(tenantId), sk: `WEBHOOK#${webhookId}` }),
  webhooks: (tenantId: string) => ({ pk: t(tenantId), skPrefix: 'WEBHOOK#' }),
  webhookDelivery: (tenantId: string, webhookId: string, at: string, deliveryId: string) => ({
    pk: `${t(tenantId)}#WEBHOOK#${webhookId}`,
    sk: `DELIVERY#${at}#${deliveryId}`,
  }),
  webhookDeliveries: (tenantId: string, webhookId: string) => ({
    pk: `${t(tenantId)}#WEBHOOK#${webhookId}`,
    skPrefix: 'DELIVERY#',
  }),
  /** An event in the outbox; marked pending until the relay hands it to its subscriptions. */
  webhookEvent: (tenantId: string, eventId: string) => ({
    pk: `${t(tenantId)}#EVENT#${eventId}`,
    sk: 'EVENT',
  }),
  webhookEventPending: (at: string, tenantId: string, eventId: string) => ({
    gsi4pk: 'EVENT#PENDING',
    gsi4sk: `${at}#${t(tenantId)}#${eventId}`,
  }),
  webhookEventPendingQuery: () => ({ index: 'gsi4' as const, pk: 'EVENT#PENDING' }),
  /** A person's document for the regulator's file (E3). */
  document: (tenantId: string, personId: string, documentId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `DOCUMENT#${documentId}`,
  }),
  documentsOf: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    skPrefix: 'DOCUMENT#',
  }),
  /** A stored document by the day its retention ends (GSI4, keys only): the records-expiry job's read. */
  documentKeptUntil: (keepUntil: string, tenantId: string, personId: string, documentId: string) => ({
    gsi4pk: 'RECORDS#KEEP',
    gsi4sk: `${keepUntil}#${t(tenantId)}#PERSON#${personId}#${documentId}`,
  }),
  documentsKeptUntilQuery: () => ({ index: 'gsi4' as const, pk: 'RECORDS#KEEP' }),
  /** A document declared and not yet stored, by when (GSI4, keys only): found if never completed. */
  documentDeclared: (createdAt: string, tenantId: string, personId: string, documentId: string) => ({
    gsi4pk: 'RECORDS#DECLARED',
    gsi4sk: `${createdAt}#${t(tenantId)}#PERSON#${personId}#${documentId}`,
  }),
  documentsDeclaredQuery: () => ({ index: 'gsi4' as const, pk: 'RECORDS#DECLARED' }),
  /** An archive (E3) and its shared links beside it. */
  archive: (tenantId: string, archiveId: string) => ({
    pk: `${t(tenantId)}#ARCHIVE#${archiveId}`,
    sk: 'ARCHIVE',
  }),
  archiveShare: (tenantId: string, archiveId: string, shareId: string) => ({
    pk: `${t(tenantId)}#ARCHIVE#${archiveId}`,
    sk: `SHARE#${shareId}`,
  }),
  archiveShares: (tenantId: string, archiveId: string) => ({
    pk: `${t(tenantId)}#ARCHIVE#${archiveId}`,
    skPrefix: 'SHARE#',
  }),
  /** A shared link by the hash of its token (the one key an inspector's request names; TTL). */
  shareToken: (tokenHash: string) => ({ pk: `SHARETOKEN#${tokenHash}`, sk: 'SHARE' }),
  /** An insurer's acknowledgement of one event (E2), beside the subscription's deliveries. */
  insurerAcknowledgement: (tenantId: string, webhookId: string, eventId: string) => ({
    pk: `${t(tenantId)}#WEBHOOK#${webhookId}`,
    sk: `ACK#${eventId}`,
  }),
  /** A signed acknowledgement's nonce (put-if-absent, TTL): a replay finds it. */
  insurerNonce: (tenantId: string, webhookId: string, nonce: string) => ({
    pk: `${t(tenantId)}#INSNONCE#${webhookId}#${nonce}`,
    sk: 'NONCE',
  }),
  /** The cover an insurer last told us for a person, one item per insurer. */
  insuranceCover: (tenantId: string, personId: string, webhookId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `INSURANCE#${webhookId}`,
  }),
  insuranceCovers: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    skPrefix: 'INSURANCE#',
  }),
  channelDelivery: (tenantId: string, messageId: string, channel: string) => ({
    pk: `${t(tenantId)}#NOTIFY#${messageId}`,
    sk: `CH#${channel}`,
  }),
  channelDeliveriesOf: (tenantId: string, messageId: string) => ({
    pk: `${t(tenantId)}#NOTIFY#${messageId}`,
  }),
  notificationLog: (tenantId: string, personId: string, at: string, messageId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `NOTIFY#${at}#${messageId}`,
  }),
  bindings: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: 'BINDINGS',
  }),
  /** People with a WeCom user id, for the binding check (GSI3). */
  wecomBindings: (tenantId: string, personId?: string) => ({
    gsi3pk: `${t(tenantId)}#WECOMBOUND`,
    gsi3sk: personId ?? '',
  }),
  /** A sent SMS whose receipt is still to be read (GSI4, keys only, by send time). */
  receiptPending: (at: string, tenantId: string, messageId: string, channel: string) => ({
    gsi4pk: 'RECEIPT#PENDING',
    gsi4sk: `${at}#${t(tenantId)}#${messageId}#${channel}`,
  }),
  receiptPendingQuery: () => ({ index: 'gsi4' as const, pk: 'RECEIPT#PENDING' }),
  messageHeader: (tenantId: string, messageId: string) => ({
    pk: `${t(tenantId)}#NOTIFY#${messageId}`,
    sk: 'HEADER',
  }),
  smsQuota: (tenantId: string, month: string) => ({ pk: t(tenantId), sk: `SMSQUOTA#${month}` }),
  tenant: (tenantId: string) => ({ pk: t(tenantId), sk: 'TENANT' }),
  tenantIndex: (tenantId: string) => ({ gsi3pk: 'TENANTS', gsi3sk: t(tenantId) }),
  tenantsQuery: () => ({ index: 'gsi3' as const, pk: 'TENANTS' }),
  tenantCode: (uscc: string) => ({ pk: `TENANTUSCC#${uscc}`, sk: 'TENANTUSCC' }),
  /** A user of a tenant, or (tenantId '') a platform operator. */
  user: (tenantId: string, userId: string) => ({
    pk: tenantId ? t(tenantId) : 'PLATFORM',
    sk: `USER#${userId}`,
  }),
  users: (tenantId: string) => ({ pk: tenantId ? t(tenantId) : 'PLATFORM', skPrefix: 'USER#' }),
  /** Active group admins of a tenant (sparse GSI2 entry on the user item): the last-admin check reads these, not every user. */
  activeAdminIndex: (tenantId: string, userId: string) => ({
    gsi2pk: `${t(tenantId)}#ADMINS`,
    gsi2sk: `USER#${userId}`,
  }),
  activeAdminsQuery: (tenantId: string) => ({ index: 'gsi2' as const, pk: `${t(tenantId)}#ADMINS` }),
  /** A person's own user accounts (a worker's login): found when the person leaves. */
  personUserIndex: (tenantId: string, personId: string, userId: string) => ({
    gsi3pk: `${t(tenantId)}#PERSON#${personId}#USERS`,
    gsi3sk: `USER#${userId}`,
  }),
  personUsersQuery: (tenantId: string, personId: string) => ({
    index: 'gsi3' as const,
    pk: `${t(tenantId)}#PERSON#${personId}#USERS`,
  }),
  login: (issuer: string, subject: string) => ({ pk: `LOGIN#${issuer}#${subject}`, sk: 'LOGIN' }),
  invitation: (codeHash: string) => ({ pk: `INVITE#${codeHash}`, sk: 'INVITE' }),
  jobState: (job: string) => ({ pk: 'SYSTEM#JOBS', sk: job }),
  /** Keyed by the number's keyed hash: a number may hold an ID number, never in a key. */
  certificateNumber: (tenantId: string, numberHash: string, certificateId?: string) => ({
    pk: `${t(tenantId)}#CERTNUM#${numberHash}`,
    sk: certificateId ? `CERT#${certificateId}` : 'CERT#',
  }),
  badge: (tenantId: string, badgeUid: string) => ({ pk: `${t(tenantId)}#BADGE#${badgeUid}`, sk: 'BADGE' }),
  personBadge: (tenantId: string, personId: string, badgeUid: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `BADGE#${badgeUid}`,
  }),
  gate: (tenantId: string, gateId: string) => ({ pk: `${t(tenantId)}`, sk: `GATE#${gateId}` }),
  /** Scan ids are unique per gate only: another gate's scanId is another scan. */
  scan: (tenantId: string, gateId: string, scanId: string) => ({
    pk: `${t(tenantId)}#SCAN#${gateId.slice(gateId.indexOf(':') + 1)}#${scanId}`,
    sk: 'SCAN',
  }),
  checkIn: (tenantId: string, personId: string, at: string, scanId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `CHECKIN#${at}#${scanId}`,
  }),
  /** Index keys of a presence item while the person is on site (GSI2). */
  onSiteIndex: (tenantId: string, siteId: string, personId: string) => ({
    gsi2pk: `${t(tenantId)}#ONSITE`,
    gsi2sk: `SITE#${siteId}#PERSON#${personId}`,
  }),
  onSiteQuery: (tenantId: string, siteId?: string) => ({
    index: 'gsi2' as const,
    pk: `${t(tenantId)}#ONSITE`,
    skPrefix: siteId ? `SITE#${siteId}#` : 'SITE#',
  }),
  siteSafety: (tenantId: string, siteId: string) => ({ pk: t(tenantId), sk: `SITESAFETY#${siteId}` }),
  siteEntryPolicy: (tenantId: string, siteId: string) => ({ pk: t(tenantId), sk: `SITEPOLICY#${siteId}` }),
  ticket: (tenantId: string, ticketId: string) => ({ pk: `${t(tenantId)}#TICKET#${ticketId}`, sk: 'TICKET' }),
  siteTicketsIndex: (
    tenantId: string,
    siteId: string,
    open: boolean,
    plannedFrom: string,
    ticketId: string,
  ) => ({
    gsi2pk: `${t(tenantId)}#SITE#${siteId}#TICKETS`,
    gsi2sk: `${open ? 'OPEN' : 'ENDED'}#${plannedFrom}#${ticketId}`,
  }),
  openTicketsOfSite: (tenantId: string, siteId: string) => ({
    index: 'gsi2' as const,
    pk: `${t(tenantId)}#SITE#${siteId}#TICKETS`,
    skPrefix: 'OPEN#',
  }),
  permit: (tenantId: string, permitId: string) => ({ pk: `${t(tenantId)}#PERMIT#${permitId}`, sk: 'PERMIT' }),
  permitLink: (tenantId: string, personId: string, permitId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `PERMIT#${permitId}`,
  }),
  ticketLink: (tenantId: string, personId: string, ticketId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `TICKET#${ticketId}`,
  }),
  workHistory: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: 'WORKHISTORY',
  }),
  job: (tenantId: string, personId: string, endedAt: string, ticketId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `JOB#${endedAt}#${ticketId}`,
  }),
  quiz: (tenantId: string, quizId: string) => ({ pk: `${t(tenantId)}#QUIZ#${quizId}`, sk: 'QUIZ' }),
  badgeIndex: (tenantId: string, badgeUid: string) => ({
    gsi3pk: `${t(tenantId)}#BADGES`,
    gsi3sk: `BADGE#${badgeUid}`,
  }),
  badgesQuery: (tenantId: string) => ({ index: 'gsi3' as const, pk: `${t(tenantId)}#BADGES` }),
  gateIndex: (tenantId: string, gateId: string) => ({
    gsi3pk: 'GATES',
    gsi3sk: `${t(tenantId)}#GATE#${gateId}`,
  }),
  allGatesQuery: () => ({ index: 'gsi3' as const, pk: 'GATES' }),
  /** Marks the item as a change the gates' allowlists have not seen yet. */
  allowlistDirty: (tenantId: string, what: string, at: string) => ({
    gsi4pk: 'ALLOWLIST#DIRTY',
    gsi4sk: `${t(tenantId)}#${what}#${at}`,
  }),
  allowlistDirtyQuery: () => ({ index: 'gsi4' as const, pk: 'ALLOWLIST#DIRTY' }),
  allowlistState: (tenantId: string, siteId: string) => ({ pk: t(tenantId), sk: `ALLOWLIST#${siteId}` }),
  gatesOf: (tenantId: string) => ({ pk: t(tenantId), skPrefix: 'GATE#' }),
  reportSnapshot: (tenantId: string, month: string) => ({ pk: t(tenantId), sk: `REPORT#${month}` }),
  reportSnapshots: (tenantId: string) => ({ pk: t(tenantId), skPrefix: 'REPORT#' }),
  subReportSnapshot: (tenantId: string, month: string) => ({ pk: t(tenantId), sk: `SUBREPORT#${month}` }),
  subReportSnapshots: (tenantId: string) => ({ pk: t(tenantId), skPrefix: 'SUBREPORT#' }),
  spotCheck: (tenantId: string, month: string, at: string, id: string) => ({
    pk: `${t(tenantId)}#SPOTCHECK#${month}`,
    sk: `${at}#${id}`,
  }),
  spotChecksOf: (tenantId: string, month: string) => ({ pk: `${t(tenantId)}#SPOTCHECK#${month}` }),
  /** A site's on-site counters (heat map): by colour, and by certificate category × colour. */
  siteHeat: (tenantId: string, siteId: string) => ({ pk: t(tenantId), sk: `HEAT#${siteId}` }),
  siteHeats: (tenantId: string) => ({ pk: t(tenantId), skPrefix: 'HEAT#' }),
  presence: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: 'PRESENCE',
  }),
  batch: (tenantId: string, batchId: string) => ({ pk: `${t(tenantId)}#BATCH#${batchId}`, sk: 'META' }),
  /** A ledger import: its progress at META, one result per row beside it. */
  ledgerImport: (tenantId: string, importId: string) => ({
    pk: `${t(tenantId)}#IMPORT#${importId}`,
    sk: 'META',
  }),
  /** A violation (E1), under its person: their list is one query. */
  violation: (tenantId: string, personId: string, violationId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    sk: `VIOLATION#${violationId}`,
  }),
  violationsOf: (tenantId: string, personId: string) => ({
    pk: `${t(tenantId)}#PERSON#${personId}`,
    skPrefix: 'VIOLATION#',
  }),
  /** A violation found by its id alone (GET /violations/{id}). */
  violationIndex: (tenantId: string, violationId: string) => ({
    gsi3pk: `${t(tenantId)}#VIOLATION#${violationId}`,
    gsi3sk: 'VIOLATION',
  }),
  /** A violation among the tenant's, by the day it occurred (the radar's trend reads a range). */
  violationByDay: (tenantId: string, occurredOn: string, violationId: string) => ({
    gsi1pk: `${t(tenantId)}#VIOLATIONS`,
    gsi1sk: `${occurredOn}#${violationId}`,
  }),
  violationsByDayQuery: (tenantId: string, since: string) => ({
    index: 'gsi1' as const,
    pk: `${t(tenantId)}#VIOLATIONS`,
    from: since,
  }),
  violationIndexQuery: (tenantId: string, violationId: string) => ({
    index: 'gsi3' as const,
    pk: `${t(tenantId)}#VIOLATION#${violationId}`,
  }),
  /** An Idempotency-Key of POST /imports: the import it started (a retried POST answers it). */
  importIdempotencyKey: (tenantId: string, key: string) => ({
    pk: `${t(tenantId)}#IMPORTKEY#${key}`,
    sk: 'IMPORTKEY',
  }),
  ledgerImportRow: (tenantId: string, importId: string, row: number) => ({
    pk: `${t(tenantId)}#IMPORT#${importId}`,
    sk: `ROW#${String(row).padStart(7, '0')}`,
  }),
  batchRow: (tenantId: string, batchId: string, row: number) => ({
    pk: `${t(tenantId)}#BATCH#${batchId}`,
    sk: `ROW#${String(row).padStart(6, '0')}`,
  }),
  /** Sweep index keys: the person is found again on the first day its status may change. */
  sweepIndex: (tenantId: string, personId: string, day: string | null) => {
    if (!day) return {};
    return { gsi4pk: `SWEEP#${day}#${sweepShard(personId)}`, gsi4sk: `${t(tenantId)}#PERSON#${personId}` };
  },
  sweepQuery: (day: string, shard: number) => ({ index: 'gsi4', pk: `SWEEP#${day}#${shard}` }),
  /** A tenant's audit trail of a day; the platform operator's own (tenantId '') under PLATFORM. */
  /** A day's seal of the tenant's audit chain (E3 issue 29): one per day, put if absent. */
  auditSeal: (tenantId: string, day: string) => ({ pk: `${t(tenantId)}#AUDITSEAL`, sk: day }),
  auditSeals: (tenantId: string) => ({ pk: `${t(tenantId)}#AUDITSEAL` }),
  audit: (tenantId: string, day: string, at: string, id: string) => ({
    pk: `${tenantId ? t(tenantId) : 'PLATFORM'}#AUDIT#${day}`,
    sk: `${at}#${id}`,
  }),
  /**
   * Index keys that place a person in the colour-filtered lists — or, once they have left,
   * under LEFT# beside them: out of every colour list, still found by `status=departed`.
   */
  personIndexes: (
    tenantId: string,
    person: {
      personId: string;
      color: string;
      left?: boolean;
      homeSiteId?: string;
      subcontractorId?: string;
    },
  ) => {
    const sk = person.left
      ? `LEFT#PERSON#${person.personId}`
      : `COLOR#${person.color}#PERSON#${person.personId}`;
    return {
      gsi1pk: `${t(tenantId)}#PEOPLE`,
      gsi1sk: sk,
      ...(person.homeSiteId ? { gsi2pk: `${t(tenantId)}#SITE#${person.homeSiteId}#PEOPLE`, gsi2sk: sk } : {}),
      ...(person.subcontractorId
        ? { gsi3pk: `${t(tenantId)}#SUB#${person.subcontractorId}#PEOPLE`, gsi3sk: sk }
        : {}),
    };
  },
  peopleQuery: (
    tenantId: string,
    scope: { siteId?: string; subcontractorId?: string },
    color?: string,
    left = false,
  ) => {
    const skPrefix = left ? 'LEFT#' : color ? `COLOR#${color}#` : 'COLOR#';
    if (scope.subcontractorId) {
      return {
        index: 'gsi3' as PeopleIndex,
        pk: `${t(tenantId)}#SUB#${scope.subcontractorId}#PEOPLE`,
        skPrefix,
      };
    }
    if (scope.siteId)
      return { index: 'gsi2' as PeopleIndex, pk: `${t(tenantId)}#SITE#${scope.siteId}#PEOPLE`, skPrefix };
    return { index: 'gsi1' as PeopleIndex, pk: `${t(tenantId)}#PEOPLE`, skPrefix };
  },
};

/** Stable shard of a person id (FNV-1a), so a person always lands in the same sweep shard. */
export function sweepShard(personId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < personId.length; i++) {
    h ^= personId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % SWEEP_SHARDS;
}

/** The tenant of any tenant-prefixed key or index value. */
export function tenantOfKey(value: string): string | undefined {
  return /^T#([^#]+)#/.exec(value)?.[1];
}

/** Parses a sweep index sort key back into tenant and person. */
export function parsePersonKey(sk: string): { tenantId: string; personId: string } | undefined {
  const m = /^T#([^#]+)#PERSON#([^#]+)$/.exec(sk);
  return m ? { tenantId: m[1] as string, personId: m[2] as string } : undefined;
}
