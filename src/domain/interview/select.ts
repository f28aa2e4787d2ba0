import { CONDITIONS } from '../knowledge-base/catalog.ts';
import { scoredFor, type ScoredCondition } from '../knowledge-base/score.ts';
import type { ConditionDef } from '../knowledge-base/types.ts';
import { contextHolds, countMissingSlots, firstMissingSlot } from '../red-flags/evaluate.ts';
import { INDEXED_RULES, touchedTriggers } from '../red-flags/trigger-index.ts';
import type { DiagnoseRequest } from '../schemas/diagnose.ts';
import type { Interview } from '../schemas/interview.ts';
import { isEmergency, urgencyRank, type TriageLevel } from '../triage.ts';
import type { FindingId, Findings } from '../vocabulary/findings.ts';
import { answerableFinding, type AnswerableFinding } from './findings-catalog.ts';
import { AnswerForecaster } from './forecast.ts';

export interface InterviewOptions {
  /** Questions in one whole interview (answers the client sends count against it). */
  readonly maxQuestions: number;
  /** Questions returned per turn. */
  readonly perTurn: number;
}

export const DEFAULT_INTERVIEW_OPTIONS: InterviewOptions = { maxQuestions: 12, perTurn: 3 };

/** The top condition's probability at which the answer counts as clear. */
export const CONFIDENT_PROBABILITY = 0.8;
/** Expected entropy reduction (bits) below which a question is not worth asking. */
export const MIN_INFORMATION_GAIN = 0.02;
/** Conditions below this probability do not propose questions (they still count in the entropy). */
const CANDIDATE_PROBABILITY = 0.01;

interface Candidate {
  readonly finding: AnswerableFinding;
  readonly reason: 'red_flag' | 'information_gain';
  /** For red-flag questions: the level a "yes" would force. */
  readonly level?: TriageLevel;
  readonly rule?: string;
  readonly gain: number;
  readonly pYes: number;
}

function askable(
  id: FindingId,
  findings: Findings,
  asked: ReadonlySet<string>,
): AnswerableFinding | undefined {
  if (asked.has(id) || findings.present.has(id) || findings.negated.has(id)) return undefined;
  const finding = answerableFinding(id);
  if (!finding) return undefined;
  if (finding.appliesWhen && !finding.appliesWhen.some((ctx) => findings.present.has(ctx))) return undefined;
  return finding;
}

function firstAskable(
  ids: readonly FindingId[],
  findings: Findings,
  asked: ReadonlySet<string>,
): AnswerableFinding | undefined {
  for (const id of ids) {
    const finding = askable(id, findings, asked);
    if (finding) return finding;
  }
  return undefined;
}

/**
 * Red-flag questions: a rule more urgent than the current answer whose context holds for this patient
 * and which one more "yes" would fire. Triggers that nothing in the case has started to fill count only
 * when the rule is specific to the patient's context (pregnancy, gestation, menopause, age).
 */
function redFlagCandidates(
  request: DiagnoseRequest,
  findings: Findings,
  level: TriageLevel,
  asked: ReadonlySet<string>,
): Map<string, Omit<Candidate, 'gain' | 'pYes'> & { filled: number }> {
  const out = new Map<string, Omit<Candidate, 'gain' | 'pYes'> & { filled: number }>();
  const touched = touchedTriggers(findings);
  for (const { rule, triggers } of INDEXED_RULES) {
    if (urgencyRank(rule.level) <= urgencyRank(level)) continue;
    for (const { trigger, number, slots } of triggers) {
      // Most triggers are two or more findings away: nothing fills any of their two or more slots.
      if (slots >= 2 && !touched[number]) continue;
      if (countMissingSlots(trigger, findings, 2) !== 1) continue;
      if (!contextHolds(trigger, request, findings)) continue;
      const filled = slots - 1;
      const specific = Boolean(
        trigger.pregnancy || trigger.gestationalWeeks || trigger.menopause || trigger.age,
      );
      // Unprompted, only the urgent rules specific to this patient are worth a question.
      if (filled === 0 && !(specific && urgencyRank(rule.level) >= urgencyRank('consultation_24'))) continue;
      // One question per slot per turn: the first askable finding of the group.
      const finding = firstAskable(firstMissingSlot(trigger, findings)!, findings, asked);
      if (!finding) continue;
      const previous = out.get(finding.id);
      const better =
        !previous ||
        urgencyRank(rule.level) > urgencyRank(previous.level!) ||
        (rule.level === previous.level && filled > previous.filled);
      if (better)
        out.set(finding.id, { finding, reason: 'red_flag', level: rule.level, rule: rule.id, filled });
    }
  }
  return out;
}

/** Each condition's findings, then its denial-only ones: what it could ask about (built once). */
const QUESTION_IDS: ReadonlyMap<ConditionDef, readonly FindingId[]> = new Map(
  CONDITIONS.map((c) => [
    c,
    [...new Set([...Object.keys(c.findings), ...Object.keys(c.denied ?? {})] as FindingId[])],
  ]),
);

function informationCandidates(
  scored: readonly ScoredCondition[],
  forecaster: AnswerForecaster,
  findings: Findings,
  asked: ReadonlySet<string>,
): Candidate[] {
  const ids = new Set<FindingId>();
  for (const s of scored) {
    if (s.probability < CANDIDATE_PROBABILITY) continue;
    for (const id of QUESTION_IDS.get(s.condition)!) ids.add(id);
  }
  const out: Candidate[] = [];
  for (const id of ids) {
    const finding = askable(id, findings, asked);
    if (!finding) continue;
    out.push({ finding, reason: 'information_gain', ...forecaster.forecast(id) });
  }
  return out.sort((a, b) => b.gain - a.gain || a.finding.id.localeCompare(b.finding.id));
}

const pct = (p: number) => `${Math.round(p * 100)}%`;

/**
 * The next questions for a stateless interview: red-flag questions first (a "yes" could raise the
 * triage), then the greatest expected information gain over the knowledge base's condition posterior.
 * Deterministic, and the same whichever provider answered.
 */
export function planInterview(
  request: DiagnoseRequest,
  findings: Findings,
  level: TriageLevel,
  options: InterviewOptions = DEFAULT_INTERVIEW_OPTIONS,
): Interview {
  const answered = request.evidence?.length ?? 0;
  const base = { questions_answered: answered, question_limit: options.maxQuestions };
  const stop = (reason: NonNullable<Interview['stop_reason']>, explanation: string): Interview => ({
    ...base,
    questions: [],
    should_stop: true,
    stop_reason: reason,
    explanation,
  });
  if (isEmergency(level))
    return stop(
      'emergency',
      'An emergency is already established: seek care now rather than answer more questions.',
    );
  const remaining = options.maxQuestions - answered;
  if (remaining <= 0)
    return stop('question_limit', `The limit of ${options.maxQuestions} questions is reached.`);

  const asked = new Set((request.evidence ?? []).map((e) => e.id));
  const scored = scoredFor(findings);
  const forecaster = new AnswerForecaster(scored);
  const top = scored[0];
  const safety = [...redFlagCandidates(request, findings, level, asked).values()]
    .map((c) => ({ ...c, ...forecaster.forecast(c.finding.id) }))
    // Emergencies before the rest; then the triggers the case has started to fill; then a likely "yes".
    .sort(
      (a, b) =>
        Number(isEmergency(b.level!)) - Number(isEmergency(a.level!)) ||
        b.filled - a.filled ||
        b.pYes - a.pYes,
    );
  if (safety.length === 0 && top && top.probability >= CONFIDENT_PROBABILITY)
    return stop(
      'confident',
      `${top.condition.name} is clearly the most likely answer (${pct(top.probability)}), and no answer could raise the triage level.`,
    );
  const informative = informationCandidates(scored, forecaster, findings, asked).filter(
    (c) => c.gain >= MIN_INFORMATION_GAIN && !safety.some((s) => s.finding.id === c.finding.id),
  );
  // Red-flag questions lead, but leave one place a turn for the most informative question, so the
  // differential sharpens while the safety questions are worked through.
  const turn = Math.min(options.perTurn, remaining);
  const flagged = safety.slice(0, informative.length > 0 && turn > 1 ? turn - 1 : turn);
  const chosen = [...flagged, ...informative].slice(0, turn);
  if (chosen.length === 0)
    return stop('no_informative_question', 'No remaining question would change the answer much.');

  const reasons: string[] = [];
  if (flagged.length > 0) {
    const least = flagged.reduce((a, b) => (urgencyRank(b.level!) < urgencyRank(a.level!) ? b : a)).level!;
    const which =
      flagged.length === 1 ? 'the first question' : `any of the first ${flagged.length} questions`;
    reasons.push(`A "yes" to ${which} would raise the triage to ${least} or above.`);
  }
  if (chosen.length > flagged.length && top) {
    const second = scored[1];
    const lead = flagged.length > 0 ? 'The others' : 'These questions';
    reasons.push(
      second
        ? `${lead} best separate ${top.condition.name} (${pct(top.probability)}) from ${second.condition.name} (${pct(second.probability)}) and the other candidates.`
        : `${lead} best test ${top.condition.name} (${pct(top.probability)}).`,
    );
  }
  return {
    ...base,
    questions: chosen.map((c) => ({
      id: c.finding.id,
      question: c.finding.question,
      label: c.finding.label,
      reason: c.reason,
    })),
    should_stop: false,
    stop_reason: null,
    explanation: reasons.join(' '),
  };
}
