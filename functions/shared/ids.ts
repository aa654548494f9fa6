import { ulid } from 'ulid';

/** Sortable, prefixed ids: `per_01JD…`, `cer_…`, `site_…`. */
export const newId = (
  prefix:
    | 'per'
    | 'cer'
    | 'site'
    | 'aud'
    | 'msg'
    | 'his'
    | 'bat'
    | 'whk'
    | 'evt'
    | 'dlv'
    | 'imp'
    | 'exp'
    | 'upl'
    | 'vio'
    | 'doc'
    | 'arc'
    | 'shr'
    | 'ver'
    | 'quiz'
    | 'q'
    | 'tkt'
    | 'sub'
    | 'onb'
    | 'con'
    | 'bl'
    | 'ptn'
    | 'spc'
    | 'usr'
    | 't',
) => `${prefix}_${ulid()}`;
