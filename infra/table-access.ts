// What each function may do to the table, once: CDK turns it into IAM policies
// (infra/stacks/api-stack.ts) and the local runtime enforces it on every call a handler
// makes (infra/local/iam-check.ts), so a missing grant fails locally, not first in AWS.
import type { Capability } from '../schemas/route.ts';

/** What each capability may do to the table: least privilege, per function. */
export interface CapabilityAccess {
  actions: string[];
  indexes?: boolean;
  idHashKey: boolean;
  /** Puts work on the work queue. */
  queuesWork?: boolean;
  /** Calls the registry gateway (reads the calling tenant's client-certificate secret). */
  callsRegistry?: boolean;
  /** Stores a tenant's registry client certificate (PUT /settings/registry). */
  storesRegistryCertificate?: boolean;
  /** Stores a tenant's channel credentials (PUT /settings/channels) and reads them. */
  storesTenantSecrets?: boolean;
  /** Reads a tenant's channel credentials (the worker's deliveries). */
  readsTenantSecrets?: boolean;
  /** Creates IoT things and certificates for gates. */
  provisionsGates?: boolean;
  /** Retires gates (a closed site's): deactivates their certificates, clears their allowlists. */
  retiresGates?: boolean;
  /** Admission evidence: the evidence bucket and the face / OCR providers. */
  handlesEvidence?: boolean;
  /** Checks that admission evidence it cites exists (HeadObject; read-only, no providers). */
  checksEvidence?: boolean;
  /** A person's files for their data rights: reads and deletes admission images, writes copies (exports/). */
  keepsPersonalFiles?: boolean;
  /** The regulator's file (E3): documents (records/, multipart) and archives (archives/) in the evidence bucket. */
  keepsRecordFiles?: boolean;
  /** Deletes documents of the regulator's file (records/ only, nothing read or written). */
  expiresRecordFiles?: boolean;
  /** Ledger files over 5 MB: presigns their PUT and reads them (the evidence bucket's imports/). */
  takesLedgerUploads?: boolean;
}

export const TABLE_ACCESS: Record<Capability | 'worker' | 'gates' | 'jobs', CapabilityAccess> = {
  // GET /health asks whether the table answers.
  health: { actions: ['dynamodb:DescribeTable'], idHashKey: false },
  openapi: { actions: [], idHashKey: false },
  // Sites: corrections update the site and move its code guard (the old one released by an
  // update, never deleted: no function deletes items). Closing one retires its gates (IoT)
  // and counts the people whose home it was (the home-site index).
  sites: {
    retiresGates: true,
    indexes: true,
    actions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ],
    idHashKey: false,
  },
  // Subcontractors: the entity and its code guard in one transaction, listed by prefix;
  // corrections move the code guard (the old one released by an update); a termination or
  // its reversal queues the pass that carries it onto the workers (functions/worker).
  subcontractors: {
    actions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ],
    idHashKey: false,
    queuesWork: true,
  },
  // The blacklist: entries under the tenant; the hold on the person's profile and gate view,
  // the notice and the audit record in one transaction.
  blacklist: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    idHashKey: false,
    checksEvidence: true,
  },
  // The federation: partners, nonces, rates and the feed (service-wide items), the pseudonym
  // index across tenants, and entries landed from partners (as the blacklist writes them).
  federation: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    idHashKey: true,
  },
  // Admission of outside workers: consents and flows on the person's partition and their
  // own items, the certificate check through the registry (as verification does).
  onboarding: {
    actions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ],
    idHashKey: true,
    callsRegistry: true,
    handlesEvidence: true,
  },
  // People: registration and corrections (the person, its ID-number guard and pseudonym
  // moved, the gate view's name) in one transaction; an ID-number correction queues the
  // registry re-check of the person's certificates.
  people: {
    actions: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem', // who is on site now (GET /people?onSite=true)
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ],
    indexes: true,
    idHashKey: true,
    queuesWork: true,
  },
  certificates: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    idHashKey: true,
    queuesWork: true,
  },
  status: { actions: ['dynamodb:GetItem', 'dynamodb:Query'], idHashKey: false },
  verification: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    idHashKey: false,
    callsRegistry: true,
  },
  // Ledger imports: the import and its rows; the sites and subcontractors rows name; a dry
  // run's look-up of people by ID-number hash. The rows are written by the worker.
  imports: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    idHashKey: true,
    queuesWork: true,
    takesLedgerUploads: true,
  },
  // Webhooks: subscriptions and their delivery log under the tenant; the event a ping
  // writes; the ping and redelivery queue a delivery. The signing keys derive from the
  // ID-hash secret (a subscription answers its public key).
  webhooks: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
    idHashKey: true,
    queuesWork: true,
  },
  // Personal-data rights: the person's records (their partition and inbox) read for a copy;
  // a deletion anonymises the profile, empties bindings and releases guards (updates, no
  // deletes); the retention setting. The person's files: the evidence bucket.
  privacy: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    idHashKey: false,
    keepsPersonalFiles: true,
  },
  // Violations (E1): under the person, found by id through an index; a suspension is a
  // correction of the person with its status write (like people's: guards checked).
  violations: {
    actions: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ],
    indexes: true,
    idHashKey: false,
  },
  // The regulator's file (E3): documents under the person, archives and their shared links
  // (by token hash); a person's records read for an archive; site people through the list index.
  archives: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    indexes: true,
    idHashKey: false,
    queuesWork: true,
    keepsRecordFiles: true,
  },
  // The compliance radar (E4): reads only — the caller (the directory), the tenant's people
  // (the list index) and their bindings.
  diagnostics: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
    indexes: true,
    idHashKey: false,
  },
  batches: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
    idHashKey: true,
    queuesWork: true,
  },
  // Reports read; spot checks (O5) are its one write, with their audit record.
  reports: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
    indexes: true,
    idHashKey: false,
  },
  badges: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    idHashKey: false,
    provisionsGates: true,
  },
  // The map reads the sites and their counters; the drill-down one person's items.
  heatmap: { actions: ['dynamodb:GetItem', 'dynamodb:Query'], idHashKey: false },
  worker: {
    // ConditionCheckItem: ledger rows register people (their home site and subcontractor checked).
    // BatchGetItem: a ledger chunk looks its people and badges up at once.
    actions: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ],
    // People of a tenant, page by page (registry catch-up: GSI1).
    indexes: true,
    // ID-number rows and certificate numbers are looked up by keyed hash.
    idHashKey: true,
    callsRegistry: true,
    // The catch-up listing queues its next page and its rows; deliveries retry through it.
    queuesWork: true,
    // Deliveries read the tenant's channel credentials.
    readsTenantSecrets: true,
    // It builds the regulator's archives (E3).
    keepsRecordFiles: true,
  },
  settings: {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    idHashKey: false,
    storesRegistryCertificate: true,
    // Connecting the registry queues the never-verified certificates.
    queuesWork: true,
  },
  // The gate-decision function (IoT rule): badge + site policy, gate view, scan, quiz opening;
  // after the decision, the 50 km / 24 h alert (dispatch policy, sites, inbox notices).
  // A check-in also moves the site's heat counters, checking the gate view it counted from.
  gates: {
    actions: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ],
    idHashKey: false,
  },
  // The scheduled jobs: sweep, reports, allowlists (GSI3 badges/gates, GSI4 sweep/markers),
  // the nightly heat-counter recount (GSI2 on-site); the notification relay and the binding
  // check put their work on the queue.
  jobs: {
    queuesWork: true,
    // The retention erasure deletes a leaver's images.
    keepsPersonalFiles: true,
    // The records expiry deletes documents whose retention ended (file and record).
    expiresRecordFiles: true,
    actions: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ],
    indexes: true,
    idHashKey: false,
  },
  quizzes: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], idHashKey: false },
  // Cross-site permits: the permit and the person's link (put together), signatures.
  permits: {
    actions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ],
    idHashKey: false,
  },
  // Notifications (N1–N3): channel settings and rules (with their audit), bindings (checked
  // against the person), the delivery log and records, the tenant's people page by page
  // (tenant-wide diagnosis: GSI1) and their bindings in batches; the SMS quota it raises.
  notifications: {
    actions: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ],
    indexes: true,
    idHashKey: false,
    storesTenantSecrets: true,
  },
  // Work tickets: people in a batch, their certificates/check-ins/links by query, the site
  // board on GSI2, and transactions over the ticket, its links and the people's gate views.
  tickets: {
    actions: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    ],
    indexes: true,
    idHashKey: false,
  },
  // Tenants and users: the directory's items (tenant, users, logins, invitations) in
  // transactions with their audit records; a removed user and their login are marked and
  // left to TTL, like everything else here (no function deletes items); every tenant on
  // GSI3; invitations to workers go to their inbox.
  users: {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
    indexes: true,
    idHashKey: false,
  },
};
