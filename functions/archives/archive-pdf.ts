// The archive's PDF index (E3), in Chinese: pdfkit lays it out and embeds only the glyphs
// used from Noto Sans SC (the @expo-google-fonts package's TTF; a Lambda bundle carries the
// file beside the code, named by ARCHIVE_FONT_PATH). pdfkit is a well-kept PDF writer with
// font subsetting; a headless browser would cost a 100 MB layer for one table.
import { cjkFontPath } from '../shared/cjk-font.ts';
import { type ArchiveIndex, kindName, recordKindName } from './archives.ts';

const COLOR: Record<string, string> = { green: '绿', yellow: '黄', red: '红' };

export async function renderIndexPdf(index: ArchiveIndex): Promise<Uint8Array> {
  const { default: PDFDocument } = await import('pdfkit');
  const font = cjkFontPath();
  // The CJK font from the start: pdfkit's default (Helvetica) would read AFM files beside its
  // sources, which a bundle does not carry.
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    font,
    info: {
      Title: `特种作业人员电子档案 ${index.subjectName}`,
      Author: 'special-ops',
      CreationDate: new Date(index.builtAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.fontSize(18).text('特种作业人员电子档案目录');
  doc.moveDown(0.3);
  doc
    .fontSize(10)
    .fillColor('#444')
    .text(
      `${index.scope === 'site' ? '厂区' : index.scope === 'audit' ? '范围' : '人员'}：${index.subjectName}　${index.audit ? `${index.audit.length} 天` : `共 ${index.people.length} 人`}　生成于 ${index.builtAt}　档案号 ${index.archiveId}`,
    );
  doc.text('校验：解压后运行 sha256sum -c manifest.sha256');
  doc.fillColor('#000');
  if (index.audit) {
    doc.moveDown(0.6).fontSize(12).text('审计链封印（每天：条数、链头）');
    doc.fontSize(9);
    for (const d of index.audit) doc.text(`　${d.day}　${d.count} 条　${d.head}`);
    doc.text('　离线校验：npm run verify-audit -- <本档案.zip>');
  }
  for (const [n, p] of index.people.entries()) {
    doc.moveDown(0.6);
    doc.fontSize(12).text(`${n + 1}. ${p.name}　${p.idNumberMasked}　状态：${COLOR[p.color] ?? p.color}`);
    doc.fontSize(9);
    for (const c of p.certificates)
      doc.text(
        `　证书：${c.category}（${c.scheme}）${c.numberMasked ?? ''}　${c.issuedOn ?? ''} 至 ${c.expiresOn ?? ''}`,
      );
    for (const d of p.documents)
      doc.text(`　${kindName(d.kind)}：${d.title}${d.inArchive ? '' : '（文件较大，经链接获取）'}`);
    const counts = Object.entries(p.counts)
      .map(([k, v]) => `${recordKindName(k)} ${v}`)
      .join('，');
    if (counts) doc.fillColor('#555').text(`　记录：${counts}`).fillColor('#000');
  }
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
