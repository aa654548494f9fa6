// The imports function: HTTP entry only; the use cases are in imports.ts.
import {
  createImport,
  createImportUpload,
  getImport,
  getImportRows,
  getImportTemplate,
} from '../../schemas/routes/imports.ts';
import { apiHandler } from '../api-handler.ts';
import {
  clock,
  idHashKey,
  importReferences,
  importStore,
  importUploads,
  personRepository,
  workQueue,
} from '../composition-root.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { InvalidRequest, NotFound } from '../shared/errors.ts';
import { on } from '../shared/http/handler.ts';
import { isMessageCode, type Language, message } from '../shared/i18n/messages.ts';
import {
  type Chunk,
  createUpload,
  etaSeconds,
  type ImportMeta,
  type ImportRowResult,
  startImport,
} from './imports.ts';
import { importRowsWorkbook, templateWorkbook } from './workbooks.ts';

const imports = importStore();
const people = personRepository();
const deps = {
  imports,
  references: importReferences(),
  findByIdHash: (tenantId: string, idHash: string) => people.findByIdHash(tenantId, idHash),
  idHashKey: idHashKey(),
  queueChunks: (chunks: Chunk[]) =>
    workQueue().send(
      chunks.map((c) => ({
        type: 'import-rows' as const,
        tenantId: c.tenantId,
        importId: c.importId,
        principal: c.principal,
        rows: c.rows,
      })),
    ),
  uploads: importUploads(),
  clock: clock(),
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function importView(meta: ImportMeta) {
  const { createdBy: _c, ...view } = meta;
  const eta = etaSeconds(meta, deps.clock.now());
  return { ...view, ...(eta !== undefined ? { etaSeconds: eta } : {}) };
}

/** A row as shown: each problem with its reason in the caller's language. */
export function rowView(r: ImportRowResult, lang: Language) {
  const { problems, ...rest } = r;
  return {
    ...rest,
    ...(problems
      ? {
          problems: problems.map((p) => ({
            ...p,
            message: isMessageCode(p.code) ? message(p.code, lang) : p.code,
          })),
        }
      : {}),
  };
}

async function findImport(principal: Principal, importId: string) {
  authorize(principal, 'import:read');
  const found = await imports.get(principal.tenantId, importId);
  if (!found) throw new NotFound('import_not_found');
  return found;
}

export const handler = apiHandler([
  on(createImportUpload, async ({ principal, body }) => ({
    status: 201,
    body: await createUpload(deps, principal, body),
  })),
  on(createImport, async ({ principal, body, requestId, lang, idempotencyKey: key }) => {
    if (key !== undefined && !/^[A-Za-z0-9_.:-]{8,128}$/.test(key))
      throw new InvalidRequest('validation_failed', [
        {
          field: 'header.Idempotency-Key',
          code: 'idempotency_key_invalid',
          message: 'idempotency_key_invalid',
        },
      ]);
    const result = await startImport(deps, principal, body, requestId, key);
    if ('dryRun' in result)
      return { status: 200, body: { ...result, refused: result.refused.map((r) => rowView(r, lang)) } };
    return { status: 202, body: importView(result), headers: { location: `/imports/${result.importId}` } };
  }),
  on(getImportTemplate, async ({ principal }) => {
    authorize(principal, 'import:create');
    return {
      status: 200,
      file: { contentType: XLSX, fileName: 'ledger-template.xlsx', data: await templateWorkbook() },
    };
  }),
  on(getImport, async ({ principal, params }) => ({
    status: 200,
    body: importView(await findImport(principal, params.importId)),
  })),
  on(getImportRows, async ({ principal, params, query, lang }) => {
    const found = await findImport(principal, params.importId);
    if (query.format === 'xlsx') {
      const all: ImportRowResult[] = [];
      let cursor: string | undefined;
      do {
        const page = await imports.rows(principal.tenantId, found.importId, {
          ...(query.outcome ? { outcome: query.outcome } : {}),
          limit: 100,
          ...(cursor ? { cursor } : {}),
        });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return {
        status: 200,
        file: {
          contentType: XLSX,
          fileName: `import-${found.importId}${query.outcome ? `-${query.outcome}` : ''}.xlsx`,
          data: await importRowsWorkbook(all.map((r) => rowView(r, lang))),
        },
      };
    }
    const page = await imports.rows(principal.tenantId, found.importId, {
      ...(query.outcome ? { outcome: query.outcome } : {}),
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return {
      status: 200,
      body: {
        items: page.items.map((r) => rowView(r, lang)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
    };
  }),
]);
