// The inspector's page (E3): server-rendered HTML in Chinese, readable on a phone, with no
// script — the people of an archive, their certificates and documents, with links to the
// originals (each link goes through us: audited, then a short-lived S3 URL). A revoked,
// expired or unknown link shows a clear refusal page. Pure: no I/O here.
import type { ArchiveIndex, ArchiveRecord, InspectorRefusal } from './archives.ts';
import { kindName, recordKindName } from './archives.ts';

const escapeHtml = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const COLOR = { green: '绿（合规）', yellow: '黄（临期）', red: '红（停工）' } as Record<string, string>;

const STYLE = `body{font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif;margin:0;padding:12px;color:#1a1a1a;line-height:1.5;max-width:960px}
h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.1em;margin:1.2em 0 .3em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ddd;padding:4px;text-align:left;vertical-align:top}
.meta{color:#555;font-size:.9em;overflow-wrap:anywhere}.green{color:#0a7d32}.yellow{color:#a66b00}.red{color:#b00020}
.refusal{border:2px solid #b00020;padding:16px;margin-top:24px;font-size:1.1em}`;

const page = (title: string, body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;

export function inspectorPage(
  token: string,
  archive: ArchiveRecord,
  index: ArchiveIndex,
  expiresAt: string,
): string {
  const base = `/inspect/${encodeURIComponent(token)}`;
  const people = index.people
    .map((p) => {
      const certs = p.certificates.length
        ? `<table><tr><th>证书类别</th><th>体系</th><th>证书编号</th><th>发证日期</th><th>有效期至</th></tr>${p.certificates
            .map(
              (c) =>
                `<tr><td>${escapeHtml(c.category)}</td><td>${escapeHtml(c.scheme)}</td><td>${escapeHtml(c.numberMasked)}</td><td>${escapeHtml(c.issuedOn)}</td><td>${escapeHtml(c.expiresOn)}</td></tr>`,
            )
            .join('')}</table>`
        : '<p class="meta">无证书记录</p>';
      const docs = p.documents.length
        ? `<ul>${p.documents
            .map(
              (d) =>
                `<li>${escapeHtml(kindName(d.kind))}：<a href="${base}/files/${escapeHtml(d.documentId)}">${escapeHtml(d.title)}</a> <span class="meta">(${Math.ceil(d.bytes / 1024)} KB)</span></li>`,
            )
            .join('')}</ul>`
        : '<p class="meta">无档案文件</p>';
      const counts = Object.entries(p.counts)
        .map(([k, n]) => `${escapeHtml(recordKindName(k))} ${n}`)
        .join(' · ');
      return `<h2>${escapeHtml(p.name)} <span class="meta">${escapeHtml(p.idNumberMasked)}</span> <span class="${escapeHtml(p.color)}">${escapeHtml(COLOR[p.color] ?? p.color)}</span></h2>${certs}<p><b>档案文件</b></p>${docs}<p class="meta">记录条数：${counts}</p>`;
    })
    .join('');
  return page(
    `特种作业人员档案 · ${index.subjectName}`,
    `<h1>特种作业人员电子档案</h1><p>${index.scope === 'site' ? '厂区' : '人员'}：<b>${escapeHtml(index.subjectName)}</b>，共 ${index.people.length} 人</p>
<p class="meta">生成于 ${escapeHtml(index.builtAt)} · 链接有效至 ${escapeHtml(expiresAt)} · 每次查看与下载均有记录</p>
<p><a href="${base}/files/archive.zip">下载完整档案（ZIP，含 manifest.sha256 校验清单）</a> <span class="meta">SHA-256 ${escapeHtml(archive.sha256)}</span></p>${people}`,
  );
}

const REFUSALS: Record<InspectorRefusal, string> = {
  revoked: '此链接已被撤销，无法查看档案。请联系出示链接的单位重新获取。',
  expired: '此链接已过期，无法查看档案。请联系出示链接的单位重新获取。',
  unknown: '链接无效：没有与之对应的档案。',
};

export const refusalPage = (refusal: InspectorRefusal) =>
  page(
    '无法查看档案',
    `<h1>特种作业人员电子档案</h1><div class="refusal" role="alert">${REFUSALS[refusal]}</div>`,
  );
