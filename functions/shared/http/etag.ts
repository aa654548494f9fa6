// Optimistic concurrency over HTTP: a record's version goes out as its ETag, and a correction
// names the version it corrects in If-Match. Strong ETags of the form "v<version>".
import { PreconditionFailed, PreconditionRequired } from '../errors.ts';

export const etagOf = (version: number) => `"v${version}"`;

/** The version a correction was based on: 428 without If-Match, 412 when it names no version of ours. */
export function versionFromIfMatch(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') throw new PreconditionRequired('if_match_required');
  const match = /^\s*(?:W\/)?"v([1-9]\d{0,8})"\s*$/.exec(raw);
  if (!match) throw new PreconditionFailed('stale_version');
  return Number(match[1]);
}
