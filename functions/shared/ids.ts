import { ulid } from 'ulid';

/** Sortable, prefixed ids: `per_01JD…`, `cer_…`, `site_…`. */
export const newId = (prefix: 'per' | 'cer' | 'site' | 'aud') => `${prefix}_${ulid()}`;
