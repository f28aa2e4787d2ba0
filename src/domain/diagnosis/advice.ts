/**
 * Advice that would talk a patient out of the care the final triage level asks for. When the red-flag
 * rules make the answer more urgent than the provider thought, such lines are dropped and the rules'
 * advice leads, so an answer never says "go to an emergency department" beside "stay home".
 */
import { urgencyRank, type TriageLevel } from '../triage.ts';

/** Contradicts any level that needs a clinician. */
const NO_CLINICIAN: readonly RegExp[] = [
  /\bno (?:need|reason) (?:to|for)\b/i, // "no need to see anyone", "no need for a doctor"
  /\b(?:do not|don't|does not|doesn't|won't|will not|needn't|need not)\s+(?:need|have)?\s*(?:to\s+)?(?:see|visit|call|go|contact|attend|seek|worry|panic)/i,
  /\bnothing (?:to worry|serious|to be concerned)\b/i,
  /\bnot (?:serious|an emergency|worrying|concerning|dangerous)\b/i,
  /\bself[- ]?(?:care|manag|treat|limiting)/i,
  /\bhome (?:remed|treatment|care|cure)/i,
  /\bwait(?:ing)? (?:and|to) see\b|\bwatchful waiting\b|\bwait it out\b/i,
  /\bnatural (?:remed|cure)|\bherbal\b|\bessential oils?\b/i,
];

/** Also contradicts a level that needs care today (consultation_24 and the emergency levels). */
const NOT_TODAY: readonly RegExp[] = [
  /\bnot urgent\b|\bcan wait\b/i,
  /\b(?:stay|rest|remain|wait|recover|relax|sleep)\b[^.;]{0,20}\b(?:at )?home\b/i,
  /\b(?:manag|treat|handl|care)\w*\b[^.;]{0,20}\bat home\b/i,
  /\b(?:routine|next available|non-urgent|regular) (?:appointment|visit|check)/i,
  /\bif (?:it|they|symptoms|the pain|this) (?:do(?:es)?n't|do(?:es)? not|persist|continue|last)/i,
  /\b(?:in|within|after|for) (?:a few|several|a couple of|one|two|\d+) (?:days|weeks|months)\b/i,
  /\bover[- ]the[- ]counter\b/i,
];

/** Whether an advice line would talk the patient out of the care `level` asks for. */
export function contradictsLevel(line: string, level: TriageLevel): boolean {
  if (level === 'self_care') return false;
  if (NO_CLINICIAN.some((p) => p.test(line))) return true;
  return urgencyRank(level) >= urgencyRank('consultation_24') && NOT_TODAY.some((p) => p.test(line));
}

/** What the rules say to do first when they raised the level; never contradicted by a provider's advice. */
export const RULE_ADVICE: Readonly<Record<Exclude<TriageLevel, 'self_care'>, string>> = {
  emergency_ambulance:
    'Call an ambulance (your local emergency number) now: these symptoms can be life-threatening.',
  emergency:
    'Go to an emergency department or maternity/early pregnancy unit now; do not wait for a routine appointment.',
  consultation_24:
    'See a doctor today or within 24 hours; go to an emergency department if symptoms get worse before then.',
  consultation:
    'Book an appointment with a doctor or gynaecologist in the next few days; sooner if symptoms get worse.',
};
