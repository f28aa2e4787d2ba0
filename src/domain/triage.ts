import { z } from 'zod';

/** Infermedica's five triage levels, most urgent first. */
export const TRIAGE_LEVELS = [
  'emergency_ambulance',
  'emergency',
  'consultation_24',
  'consultation',
  'self_care',
] as const;

export const TriageLevel = z.enum(TRIAGE_LEVELS);
export type TriageLevel = z.infer<typeof TriageLevel>;

const URGENCY_RANK: Record<TriageLevel, number> = {
  emergency_ambulance: 4,
  emergency: 3,
  consultation_24: 2,
  consultation: 1,
  self_care: 0,
};

export function urgencyRank(level: TriageLevel): number {
  return URGENCY_RANK[level];
}

/** The more urgent of two levels; a missing level never lowers the other. */
export function mostUrgent(
  a: TriageLevel | null | undefined,
  b: TriageLevel | null | undefined,
): TriageLevel {
  if (!a) return b ?? 'self_care';
  if (!b) return a;
  return URGENCY_RANK[a] >= URGENCY_RANK[b] ? a : b;
}

export function isEmergency(level: TriageLevel): boolean {
  return URGENCY_RANK[level] >= URGENCY_RANK.emergency;
}
