// The import's spreadsheets: the ledger template and the rows' report (the fix-up list).
// exceljs is loaded on first use, so reading an import never pays for it at cold start.
import { neutralizeFormula } from '../shared/spreadsheet-cells.ts';
import { LEDGER_FIELDS, TEMPLATE_HEADERS } from './ledger-columns.ts';

const EXAMPLE: Record<string, string> = {
  name: '张伟',
  idNumber: '330106199001011234',
  employeeId: 'ZH-0042',
  site: 'ZH1',
  subcontractor: '华信劳务有限公司',
  phone: '13800138000',
  scheme: '特种作业',
  category: 'welding',
  subType: '',
  certificateNumber: 'T330106199001011234',
  issuedOn: '2024-03-01',
  expiresOn: '2030-02-28',
  reviewDueOn: '2027-03-01',
  badgeUid: '04A1B2C3D4',
};

const NOTES = [
  ['列 Column', '说明 Notes'],
  ['姓名、身份证号', '必填。同一身份证号再次导入时更新该人员，不会重复创建。'],
  ['所属厂区', '填厂区代码或名称（须已在系统中建立）。'],
  ['分包单位', '填分包单位名称或统一社会信用代码（须已登记）；空为本单位员工。'],
  ['证书体系', '特种作业（应急管理部，MEM）、特种设备（市场监管，SAMR）或 建筑施工（住建，MOHURD）。'],
  ['证书类别', 'MEM 作业类别代码（如 welding、electrician），SAMR 项目代号（如 N1、Q2），MOHURD 工种。'],
  ['日期', '2024-03-01、2024/3/1、2024年3月1日 或 Excel 日期均可。'],
  ['一人多证', '每证一行；下一行姓名、身份证号留空（或合并单元格）即沿用上一行人员。'],
  ['工牌UID', '8–20 位十六进制；已绑定他人的工牌会被拒绝。'],
];

export async function templateWorkbook(): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('台账 Ledger');
  sheet.columns = LEDGER_FIELDS.map((f) => ({ header: TEMPLATE_HEADERS[f], key: f, width: 16 }));
  sheet.addRow(EXAMPLE);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const notes = workbook.addWorksheet('说明 Notes');
  for (const line of NOTES) notes.addRow(line);
  notes.getColumn(1).width = 18;
  notes.getColumn(2).width = 90;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function importRowsWorkbook(
  rows: {
    row: number;
    outcome: string;
    nameMasked?: string;
    personId?: string;
    problems?: { column?: string; field: string; message: string }[];
  }[],
): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('导入结果 Rows');
  sheet.columns = [
    { header: '行号 Row', key: 'row', width: 10 },
    { header: '结果 Outcome', key: 'outcome', width: 12 },
    { header: '姓名 Name', key: 'name', width: 12 },
    { header: '列 Column', key: 'columns', width: 24 },
    { header: '原因 Reasons', key: 'reasons', width: 70 },
    { header: '人员 Person', key: 'personId', width: 32 },
  ];
  for (const r of rows)
    sheet.addRow({
      row: r.row,
      outcome: r.outcome,
      name: neutralizeFormula(r.nameMasked ?? ''),
      columns: neutralizeFormula((r.problems ?? []).map((p) => p.column || p.field).join(', ')),
      reasons: neutralizeFormula((r.problems ?? []).map((p) => p.message).join('; ')),
      personId: r.personId ?? '',
    });
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
