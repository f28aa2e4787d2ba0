/**
 * How a canonical triage level is expressed in the legacy fields the back end acts on.
 *
 * The back end reads call A's `confidence_score` as severity (≥0.9 high, ≥0.7 medium, ≥0.5 low,
 * below 0.5 "critical" → emergency consultation) and any `high` priority investigation as a
 * reason for a video consultation; it prices call B by `risk_assessment.urgency_level`. So the
 * score is not left to the model: it is derived from the triage, deterministically.
 *
 * | triage level          | confidence_score                  | back end reads | urgency_level |
 * | --------------------- | --------------------------------- | -------------- | ------------- |
 * | emergency_ambulance   | 0.20 (+ a `high` investigation)   | critical       | urgent        |
 * | emergency             | 0.30 (+ a `high` investigation)   | critical       | urgent        |
 * | consultation_24       | top probability clamped 0.50–0.69 | low (+ a `high` investigation → video) | high |
 * | consultation          | top probability clamped 0.50–1.00 | low…high       | moderate      |
 * | self_care             | top probability clamped 0.50–1.00 | low…high       | low           |
 */
import type { TriageLevel } from '../domain/triage.ts';
import type { UrgencyLevel } from './schemas.ts';

export const EMERGENCY_SCORES = { emergency_ambulance: 0.2, emergency: 0.3 } as const;
/** The back end's "critical" threshold: scores below it mean an emergency consultation. */
export const CRITICAL_BELOW = 0.5;
const CONSULTATION_24_MAX = 0.69;

const round2 = (n: number) => Math.round(n * 100) / 100;
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** The legacy confidence_score for a triage level and the top diagnosis' probability. Never 0. */
export function legacyConfidenceScore(level: TriageLevel, topProbability: number | undefined): number {
  const p = topProbability !== undefined && Number.isFinite(topProbability) ? topProbability : CRITICAL_BELOW;
  switch (level) {
    case 'emergency_ambulance':
    case 'emergency':
      return EMERGENCY_SCORES[level];
    case 'consultation_24':
      return clamp(round2(p), CRITICAL_BELOW, CONSULTATION_24_MAX);
    case 'consultation':
    case 'self_care':
      return clamp(round2(p), CRITICAL_BELOW, 1);
  }
}

const URGENCY: Record<TriageLevel, UrgencyLevel> = {
  emergency_ambulance: 'urgent',
  emergency: 'urgent',
  consultation_24: 'high',
  consultation: 'moderate',
  self_care: 'low',
};

export function urgencyLevel(level: TriageLevel): UrgencyLevel {
  return URGENCY[level];
}

const FOLLOW_UP: Record<TriageLevel, string> = {
  emergency_ambulance:
    'Call an ambulance (your local emergency number) now. Do not drive yourself; do not wait for an online consultation.',
  emergency:
    'Go to the nearest emergency department now. Do not wait for an appointment or an online consultation.',
  consultation_24:
    'See a doctor within 24 hours. If symptoms get worse before then, go to an emergency department.',
  consultation:
    'Book an appointment with a doctor or gynaecologist in the next few days; sooner if symptoms get worse or new symptoms appear.',
  self_care:
    'Self-care should be enough. See a doctor if symptoms last more than a week, come back, or get worse.',
};

export function followUpRecommendation(level: TriageLevel): string {
  return FOLLOW_UP[level];
}

const TIMELINE: Record<TriageLevel, string> = {
  emergency_ambulance: 'Immediately: call an ambulance',
  emergency: 'Immediately: emergency department now',
  consultation_24: 'Within 24 hours',
  consultation: 'Within a few days (1–2 weeks at most)',
  self_care: 'If not better within 7 days, or at once if worse',
};

export function followUpTimeline(level: TriageLevel): string {
  return TIMELINE[level];
}

const PRIMARY_TREATMENT: Record<TriageLevel, string> = {
  emergency_ambulance: 'Emergency care now (ambulance). No home treatment should delay it.',
  emergency: 'Emergency assessment in hospital now. No home treatment should delay it.',
  consultation_24: 'Clinical assessment within 24 hours; treatment depends on examination and tests.',
  consultation: 'Clinical assessment at a booked appointment; treatment depends on examination and tests.',
  self_care: 'Self-care with the advice below; simple over-the-counter relief where listed.',
};

export function primaryTreatment(level: TriageLevel): string {
  return PRIMARY_TREATMENT[level];
}

/** Signs that always mean emergency care, whatever the working diagnosis (NICE CKS, RCOG patient information). */
export const EMERGENCY_CARE_SIGNS = [
  'Heavy vaginal bleeding (soaking a pad an hour for two hours or more) or passing large clots',
  'Sudden severe abdominal or pelvic pain, or pain in the tip of the shoulder',
  'Fainting, dizziness or feeling faint, a racing heart or breathlessness',
  'Fever of 38 °C or more with pelvic pain, or feeling very unwell',
  'In pregnancy: bleeding, fluid leaking, severe headache or blurred vision, or the baby moving less',
] as const;
