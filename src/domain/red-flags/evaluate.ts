import type { DiagnoseRequest } from '../schemas/diagnose.ts';
import type { TriageLevel } from '../triage.ts';

export interface MustNotMiss {
  readonly icd10: string;
  readonly condition: string;
}

export interface FiredRule {
  readonly id: string;
  readonly description: string;
  readonly level: TriageLevel;
  readonly mustNotMiss: readonly MustNotMiss[];
}

export interface RedFlagEvaluation {
  readonly fired: readonly FiredRule[];
  /** The least urgent level the answer may carry; null when no rule fired. */
  readonly floor: TriageLevel | null;
}

// Placeholder until the rule set lands (issue 4): no rule fires.
export function evaluateRedFlags(_request: DiagnoseRequest): RedFlagEvaluation {
  return { fired: [], floor: null };
}
