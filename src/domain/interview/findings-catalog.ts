import type { ConceptId } from '../vocabulary/concepts/index.ts';
import { findingLabel } from '../vocabulary/findings.ts';
import { QUESTIONS, type FindingQuestion } from './questions.ts';

/** The answerable findings: every concept the text matcher understands, with its question. */
export interface AnswerableFinding extends FindingQuestion {
  readonly id: ConceptId;
  readonly label: string;
}

export const ANSWERABLE_FINDINGS: readonly AnswerableFinding[] = (
  Object.entries(QUESTIONS) as [ConceptId, FindingQuestion | null][]
).flatMap(([id, q]) => (q ? [{ id, label: findingLabel(id), ...q }] : []));

const BY_ID: ReadonlyMap<string, AnswerableFinding> = new Map(ANSWERABLE_FINDINGS.map((f) => [f.id, f]));

export function isKnownFinding(id: string): id is ConceptId {
  return BY_ID.has(id);
}

export function answerableFinding(id: string): AnswerableFinding | undefined {
  return BY_ID.get(id);
}

/** The public listing for GET /v1/findings. */
export function listFindings() {
  return ANSWERABLE_FINDINGS.map((f) => ({
    id: f.id,
    label: f.label,
    question: f.question,
    applies_when: [...(f.appliesWhen ?? [])],
  }));
}
