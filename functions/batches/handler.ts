import {
  createVerificationBatch,
  getBatchReviewList,
  getVerificationBatch,
} from '../../schemas/routes/batches.ts';
import { apiHandler } from '../api-handler.ts';
import { batchStore, clock, idHashKey, workQueue } from '../composition-root.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { NotFound } from '../shared/errors.ts';
import { on } from '../shared/http/handler.ts';
import { neutralizeFormula } from '../shared/spreadsheet-cells.ts';
import { type BatchMeta, canSeeBatch, rowView } from './batch.ts';
import { batchRows, createBatch, getBatch, reviewList } from './batches.ts';

const deps = { batches: batchStore(), workQueue: workQueue(), idHashKey: idHashKey(), clock: clock() };

function batchView(b: BatchMeta) {
  const {
    createdBy: _c,
    subcontractorId: _s,
    ...view
  } = b as BatchMeta & { pk?: string; sk?: string; entity?: string };
  // The catch-up's own bookkeeping (pages listed, still listing) is not part of the batch.
  const {
    pk: _pk,
    sk: _sk,
    entity: _e,
    pagesListed: _pl,
    listing: _l,
    ...rest
  } = view as typeof view & {
    pk?: string;
    sk?: string;
    entity?: string;
    pagesListed?: unknown;
    listing?: unknown;
  };
  return rest;
}

/** A batch of the caller's tenant; a subcontractor admin sees only its own uploads. */
async function findBatch(principal: Principal, batchId: string): Promise<BatchMeta> {
  const batch = await getBatch(deps, principal.tenantId, batchId);
  if (!batch || !canSeeBatch(principal, batch)) throw new NotFound('batch_not_found');
  return batch;
}

async function reviewWorkbook(batchId: string, rows: ReturnType<typeof rowView>[]): Promise<Buffer> {
  // Loaded on the first export: creating and reading batches never pays for it at cold start.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('待核查 Review');
  sheet.columns = [
    { header: '行号 Row', key: 'row', width: 10 },
    { header: '输入 Input', key: 'display', width: 24 },
    { header: '类型 Kind', key: 'kind', width: 12 },
    { header: '姓名 Name', key: 'name', width: 14 },
    { header: '结果 Outcome', key: 'outcome', width: 14 },
    { header: '原因 Reasons', key: 'reasons', width: 40 },
    { header: '登记姓名 Registry name', key: 'registryName', width: 20 },
    { header: '人员 Person', key: 'personId', width: 32 },
  ];
  for (const r of rows)
    sheet.addRow({
      ...r,
      display: neutralizeFormula(r.display),
      ...(r.name ? { name: neutralizeFormula(r.name) } : {}),
      ...(r.registryName ? { registryName: neutralizeFormula(r.registryName) } : {}),
      reasons: (r.reasons ?? []).join(', '),
    });
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  workbook.creator = `special-ops batch ${batchId}`;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const handler = apiHandler([
  on(createVerificationBatch, async ({ principal, body, requestId }) => {
    authorize(principal, 'batch:create');
    const { batch, created } = await createBatch(deps, principal, body, requestId);
    return {
      status: created ? 202 : 200,
      body: { ...batchView(batch), ...(created ? {} : { duplicate: true }) },
      headers: { location: `/verifications/batches/${batch.batchId}` },
    };
  }),
  on(getVerificationBatch, async ({ principal, params, query }) => {
    authorize(principal, 'batch:read');
    const batch = await findBatch(principal, params.batchId);
    const page = await batchRows(deps, principal.tenantId, batch.batchId, query.limit, query.cursor);
    return {
      status: 200,
      body: {
        batch: batchView(batch),
        rows: page.items.map(rowView),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
    };
  }),
  on(getBatchReviewList, async ({ principal, params, query }) => {
    authorize(principal, 'batch:read');
    const batch = await findBatch(principal, params.batchId);
    const items = (await reviewList(deps, principal.tenantId, batch.batchId)).map(rowView);
    if (query.format === 'xlsx') {
      return {
        status: 200,
        file: {
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          fileName: `review-${batch.batchId}.xlsx`,
          data: await reviewWorkbook(batch.batchId, items),
        },
      };
    }
    return { status: 200, body: { batchId: batch.batchId, items } };
  }),
]);
