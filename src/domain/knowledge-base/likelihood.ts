/**
 * Turns a finding's log-likelihood weight into the chance that a patient with the condition reports
 * it, against a base rate among patients without it. The interview uses this to predict answers;
 * scoring uses it to weigh an explicit "no" when a condition defines no weight for the denial.
 */
export const BASE_RATE = 0.15;
const BASE_LOGIT = Math.log(BASE_RATE / (1 - BASE_RATE));

/** P(finding reported | condition) for a condition weighting the finding `weight` (0 when unweighted). */
export function presentProbability(weight: number): number {
  return 1 / (1 + Math.exp(-(BASE_LOGIT + weight)));
}

/** Log-likelihood ratio of a denial: log(P(absent | condition) / P(absent | not condition)). */
export function impliedDeniedWeight(weight: number): number {
  return Math.log((1 - presentProbability(weight)) / (1 - BASE_RATE));
}
