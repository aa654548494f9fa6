// The archives function: HTTP entry only; the use cases are in documents.ts and archives.ts.
import * as routes from '../../schemas/routes/archives.ts';
import { apiHandler } from '../api-handler.ts';
import { archiveDeps, documentDeps } from '../composition-root.ts';
import { findPerson } from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { Gone, NotFound } from '../shared/errors.ts';
import { on } from '../shared/http/handler.ts';
import {
  type ArchiveRecord,
  archiveExpiresOn,
  archiveLink,
  findArchive,
  type InspectorRefusal,
  openShare,
  percentOf,
  requestArchive,
  revokeShare,
  shareArchive,
  sharedFileUrl,
} from './archives.ts';
import { completeUpload, declareDocument, documentView, findDocument, resumeUpload } from './documents.ts';
import { inspectorPage, refusalPage } from './inspector-page.ts';

const docs = documentDeps();
const deps = archiveDeps();

async function archiveView(a: ArchiveRecord) {
  const { tenantId: _t, createdBy: _c, key: _k, ...rest } = a;
  return {
    ...rest,
    percent: percentOf(a),
    expiresOn: archiveExpiresOn(a),
    ...(a.state === 'ready' ? { downloadUrl: await archiveLink(deps, a) } : {}),
  };
}

/**
 * A refusal: 410 for a link that was valid once, 404 for one that never was — as a page for
 * a browser (the inspector's phone), as a problem for anything else.
 */
const refused = (refusal: InspectorRefusal, wantsHtml: boolean) => {
  if (!wantsHtml) {
    if (refusal === 'unknown') throw new NotFound('share_not_found');
    throw new Gone(refusal === 'revoked' ? 'share_revoked' : 'share_expired');
  }
  return refusalPage_(refusal);
};

const refusalPage_ = (refusal: InspectorRefusal) => ({
  status: refusal === 'unknown' ? 404 : 410,
  file: {
    contentType: 'text/html; charset=utf-8',
    fileName: 'inspect.html',
    data: Buffer.from(refusalPage(refusal)),
    inline: true,
  },
  headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
});

export const handler = apiHandler([
  on(routes.declareDocument, async ({ principal, params, body, requestId }) => {
    const out = await declareDocument(docs, principal, params.personId, body as never, requestId);
    return {
      status: 201,
      body: { document: await documentView(docs, out.document, false), upload: out.upload },
      headers: { location: `/people/${params.personId}/documents/${out.document.documentId}` },
    };
  }),
  on(routes.listDocuments, async ({ principal, params }) => {
    authorize(principal, 'document:read');
    const person = await findPerson(docs.people, principal, params.personId);
    const items = await docs.documents.list(person.tenantId, person.personId);
    return {
      status: 200,
      body: { items: await Promise.all(items.map((d) => documentView(docs, d, false))) },
    };
  }),
  on(routes.getDocument, async ({ principal, params }) => ({
    status: 200,
    body: await documentView(
      docs,
      await findDocument(docs, principal, params.personId, params.documentId),
      true,
    ),
  })),
  on(routes.resumeDocumentUpload, async ({ principal, params }) => {
    const out = await resumeUpload(docs, principal, params.personId, params.documentId);
    return {
      status: 200,
      body: { document: await documentView(docs, out.document, false), upload: out.upload },
    };
  }),
  on(routes.completeDocumentUpload, async ({ principal, params, requestId }) => ({
    status: 200,
    body: await documentView(
      docs,
      await completeUpload(docs, principal, params.personId, params.documentId, requestId),
      false,
    ),
  })),
  on(routes.createArchive, async ({ principal, body, requestId }) => {
    const archive = await requestArchive(deps, principal, body as never, requestId);
    return {
      status: 202,
      body: await archiveView(archive),
      headers: { location: `/archives/${archive.archiveId}` },
    };
  }),
  on(routes.getArchive, async ({ principal, params }) => ({
    status: 200,
    body: await archiveView(await findArchive(deps, principal, params.archiveId)),
  })),
  on(routes.shareArchive, async ({ principal, params, body, requestId, origin }) => {
    const { share, token } = await shareArchive(deps, principal, params.archiveId, body as never, requestId);
    const path = `/inspect/${token}`;
    const url = `${origin}${path}`;
    const QRCode = await import('qrcode');
    return {
      status: 201,
      body: {
        shareId: share.shareId,
        url,
        path,
        qrSvg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }),
        expiresAt: share.expiresAt,
      },
    };
  }),
  on(routes.revokeArchiveShare, async ({ principal, params, requestId }) => {
    await revokeShare(deps, principal, params.archiveId, params.shareId, requestId);
    return { status: 204 };
  }),
  on(routes.inspectArchive, async ({ params, wantsHtml }) => {
    const opened = await openShare(deps, params.token);
    if ('refusal' in opened) return refused(opened.refusal, wantsHtml);
    await deps.archives.auditAccess(opened.share, 'archive.share_view', {});
    return {
      status: 200,
      file: {
        contentType: 'text/html; charset=utf-8',
        fileName: 'inspect.html',
        data: Buffer.from(inspectorPage(params.token, opened.archive, opened.index, opened.share.expiresAt)),
        inline: true,
      },
      // Not cached anywhere: a revoked link must stop at once; the token never leaves in a Referer.
      headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    };
  }),
  on(routes.inspectArchiveFile, async ({ params, wantsHtml }) => {
    const out = await sharedFileUrl(deps, params.token, params.fileId);
    if ('refusal' in out) return refused(out.refusal, wantsHtml);
    return {
      status: 302,
      headers: { location: out.url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    };
  }),
]);
