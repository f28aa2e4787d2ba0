import { z } from 'zod';

/** A medicine the service may name, with an adult dose; the legacy answers carry it as is. */
export const Medication = z.object({
  name: z.string().min(1),
  dosage: z.string(),
  frequency: z.string(),
  duration: z.string(),
  reason: z.string(),
  notes: z.string().optional(),
});
export type Medication = z.infer<typeof Medication>;
