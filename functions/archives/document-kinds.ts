// The records MEM Order 30 expects kept per special-operations worker (E3), as documents:
// what each kind may be (content types, size), how it is uploaded (one signed PUT, or a
// multipart upload for exam videos up to 2 GB, resumable part by part) and how long it is
// kept. Pure rules: no AWS here.
import { addYears, type CalendarDate } from '../shared/calendar.ts';

export const DOCUMENT_KINDS = [
  'training_record',
  'exam_record',
  'exam_video',
  'practical_score',
  'medical_report',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

const MB = 1024 * 1024;
const PAPER = ['application/pdf', 'image/jpeg', 'image/png'] as const;

export interface KindRule {
  contentTypes: readonly string[];
  maxBytes: number;
  /** Years kept after it was stored (the certificate's six-year term, plus the review after it). */
  keepYears: number;
  zh: string;
}

export const KIND_RULES: Record<DocumentKind, KindRule> = {
  training_record: { contentTypes: PAPER, maxBytes: 50 * MB, keepYears: 7, zh: '培训记录' },
  exam_record: { contentTypes: PAPER, maxBytes: 50 * MB, keepYears: 7, zh: '考试记录' },
  exam_video: {
    contentTypes: ['video/mp4', 'video/quicktime', 'video/webm'],
    maxBytes: 2 * 1024 * MB,
    keepYears: 3,
    zh: '考试视频',
  },
  practical_score: { contentTypes: PAPER, maxBytes: 50 * MB, keepYears: 7, zh: '实操评分表' },
  medical_report: { contentTypes: PAPER, maxBytes: 20 * MB, keepYears: 7, zh: '体检报告' },
};

/** Why a declared file is refused (a message code), or null. */
export function refuseDocument(kind: DocumentKind, contentType: string, bytes: number): string | null {
  const rule = KIND_RULES[kind];
  if (!rule.contentTypes.includes(contentType)) return 'document_type_not_allowed';
  if (bytes < 1 || bytes > rule.maxBytes) return 'document_too_large';
  return null;
}

/** Parts of a multipart upload: S3 asks 5 MiB … 5 GiB a part and at most 10,000 parts. */
export const PART_BYTES = 64 * MB;
/** Above this a file goes in parts (an exam video always does): a dropped connection loses one part. */
export const SINGLE_PUT_MAX_BYTES = 64 * MB;

export function partPlan(bytes: number): { partSize: number; parts: number } | undefined {
  if (bytes <= SINGLE_PUT_MAX_BYTES) return undefined;
  return { partSize: PART_BYTES, parts: Math.ceil(bytes / PART_BYTES) };
}

export const keepUntil = (kind: DocumentKind, storedOn: CalendarDate) =>
  addYears(storedOn, KIND_RULES[kind].keepYears);

/**
 * Days the evidence bucket keeps an archive's ZIP (and its index) under archives/: a snapshot
 * for an inspection, holding copies of people's records — rebuilt when needed, not kept
 * beside the records past their own retention or a leaver's erasure.
 */
export const ARCHIVE_KEEP_DAYS = 90;
