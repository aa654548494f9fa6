import * as z from 'zod';
import { id } from './common.ts';

export const SiteId = id('site');

const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/** A site's boundary: a GeoJSON polygon, one ring of [longitude, latitude] positions, closed. */
export const Geofence = z
  .strictObject({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(Position).min(4).max(500)).length(1),
  })
  .meta({
    id: 'Geofence',
    description:
      'GeoJSON Polygon (RFC 7946), one ring, longitude first, first position repeated last; around the site’s location, 100 m² – 100 km²',
  });

export const CreateSiteBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'letters, digits, _ or -, at most 32'),
    location: z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }),
    address: z.string().trim().min(1).max(300).optional(),
    regionCode: z
      .string()
      .regex(/^\d{6}$/)
      .optional()
      .meta({
        description: 'GB/T 2260 administrative division code of the site (for the cross-region holding rate)',
      }),
    geofence: Geofence.optional(),
  })
  .meta({ id: 'CreateSiteBody' });

/** A correction of a site (PATCH, with If-Match): any of its fields, at least one. */
export const UpdateSiteBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'letters, digits, _ or -, at most 32'),
    location: z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }),
    address: z.string().trim().min(1).max(300),
    regionCode: z.string().regex(/^\d{6}$/),
    geofence: Geofence.nullable().meta({ description: 'null removes the fence' }),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'no_change_given' })
  .meta({ id: 'UpdateSiteBody' });

export const Site = z
  .object({
    siteId: SiteId,
    name: z.string(),
    code: z.string(),
    location: z.object({ lat: z.number(), lng: z.number() }),
    address: z.string().optional(),
    regionCode: z.string().optional(),
    geofence: Geofence.optional(),
    closed: z
      .object({ at: z.string(), reason: z.string(), by: z.string() })
      .optional()
      .meta({ description: 'A closed site: its gates retired, no new tickets, no new home-site assignment' }),
    createdAt: z.string(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'Site' });

export const CloseSiteBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'CloseSiteBody' });

export const SiteClosure = z
  .object({
    site: Site,
    gatesRetired: z.array(z.string()).meta({ description: 'The gates retired by the closure' }),
    homePeople: z.number().int().meta({
      description: 'People whose home site it is, to reassign: GET /people?siteId=<id> lists them',
    }),
  })
  .meta({ id: 'SiteClosure' });

export const SiteList = z.object({ items: z.array(Site) }).meta({ id: 'SiteList' });
export type Site = z.infer<typeof Site>;

export const LocateBody = z
  .strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
  .meta({ id: 'LocateBody' });

export const SitesHere = z
  .object({
    items: z.array(z.object({ siteId: SiteId, name: z.string(), code: z.string() })),
    inductionsOpened: z.array(z.string()).meta({
      description: 'Sites whose safety notice and quiz were opened for the person by this entry (X5)',
    }),
  })
  .meta({ id: 'SitesHere' });
