import * as z from 'zod';
import { RADAR_AREAS } from '../functions/diagnostics/radar.ts';

const Area = z.enum(RADAR_AREAS);

export const Radar = z
  .object({
    overall: z.number().int().min(0).max(100),
    areas: z.array(
      z.object({
        area: Area,
        label: z.string(),
        score: z.number().int().min(0).max(100),
        figures: z.record(z.string(), z.number()),
        gap: z.number().int(),
      }),
    ),
    actions: z
      .array(
        z.object({
          area: Area,
          action: z.string(),
          text: z.string(),
          count: z.number().int(),
          raises: z.number(),
        }),
      )
      .max(3)
      .meta({ description: 'The three actions that would raise the overall score most' }),
  })
  .meta({ id: 'Radar' });
