import { DiagnosisService } from '../src/domain/diagnosis/diagnose.ts';
import { KnowledgeBaseProvider } from '../src/domain/providers/knowledge-base-provider.ts';
import type { DiagnoseResponse } from '../src/domain/schemas/diagnose.ts';
import type { Evidence } from '../src/domain/schemas/interview.ts';
import { isEmergency } from '../src/domain/triage.ts';
import { matchConcepts } from '../src/domain/vocabulary/matcher.ts';
import { rate } from './evaluate.ts';
import type { Vignette } from './vignettes.ts';

/**
 * Simulated patients: each blind vignette's author also wrote what the patient would confirm or deny if
 * asked. The simulator answers the service's questions from those facts ("present" when a confirmed
 * fact is about the question's finding, "absent" when a denied one is, "unknown" otherwise) for up to
 * five turns, and the answer before and after the interview is scored side by side.
 */
export const MAX_TURNS = 5;

type Choice = Evidence[number]['choice'];

/** The simulated patient's answers, keyed by finding id, read from the author's plain statements. */
export function patientAnswers(facts: NonNullable<Vignette['hidden_facts']>): Map<string, Choice> {
  const answers = new Map<string, Choice>();
  const denied = matchConcepts(facts.absent);
  for (const id of [...denied.present, ...denied.negated]) answers.set(id, 'absent');
  const confirmed = matchConcepts(facts.present);
  for (const id of confirmed.negated) answers.set(id, 'absent');
  for (const id of confirmed.present) answers.set(id, 'present');
  return answers;
}

export interface InterviewRun {
  readonly id: string;
  readonly gold: string;
  readonly emergency: boolean;
  readonly benign: boolean;
  readonly before: DiagnoseResponse;
  readonly after: DiagnoseResponse;
  readonly questions: number;
}

export async function simulateInterview(
  vignette: Vignette,
  service: DiagnosisService = new DiagnosisService({ primary: new KnowledgeBaseProvider(), fallback: null }),
): Promise<InterviewRun> {
  const answers = patientAnswers(vignette.hidden_facts ?? { present: [], absent: [] });
  const evidence: Evidence = [];
  const before = (await service.diagnose(vignette.request)).response;
  let current = before;
  for (let turn = 0; turn < MAX_TURNS && !current.interview.should_stop; turn++) {
    for (const q of current.interview.questions)
      evidence.push({ id: q.id, choice: answers.get(q.id) ?? 'unknown' });
    current = (await service.diagnose({ ...vignette.request, evidence: [...evidence] })).response;
  }
  return {
    id: vignette.id,
    gold: vignette.gold.icd10,
    emergency: vignette.emergency,
    benign: vignette.category === 'benign',
    before,
    after: current,
    questions: evidence.length,
  };
}

export interface InterviewSide {
  readonly top1: number;
  readonly top3: number;
  readonly emergencySensitivity: number;
}

export interface InterviewSummary {
  readonly n: number;
  readonly before: InterviewSide;
  readonly after: InterviewSide;
  readonly meanQuestions: number;
  /** Benign cases the questions pushed from below emergency to emergency or above. */
  readonly benignPushedToEmergency: readonly string[];
  /** Emergencies triaged as such on the first message but no longer after the interview. */
  readonly emergenciesLost: readonly string[];
}

function side(runs: readonly InterviewRun[], pick: (r: InterviewRun) => DiagnoseResponse): InterviewSide {
  const rank = (r: InterviewRun) => pick(r).differential.findIndex((d) => d.icd10 === r.gold);
  const emergencies = runs.filter((r) => r.emergency);
  return {
    top1: rate(runs.filter((r) => rank(r) === 0).length, runs.length),
    top3: rate(runs.filter((r) => rank(r) >= 0 && rank(r) < 3).length, runs.length),
    emergencySensitivity: rate(
      emergencies.filter((r) => isEmergency(pick(r).triage.level)).length,
      emergencies.length,
    ),
  };
}

export function summarise(runs: readonly InterviewRun[]): InterviewSummary {
  const level = (r: DiagnoseResponse) => isEmergency(r.triage.level);
  return {
    n: runs.length,
    before: side(runs, (r) => r.before),
    after: side(runs, (r) => r.after),
    meanQuestions: runs.reduce((sum, r) => sum + r.questions, 0) / Math.max(1, runs.length),
    benignPushedToEmergency: runs
      .filter((r) => r.benign && !level(r.before) && level(r.after))
      .map((r) => r.id),
    emergenciesLost: runs.filter((r) => r.emergency && level(r.before) && !level(r.after)).map((r) => r.id),
  };
}

/** Runs the simulator over every vignette that carries hidden facts. */
export async function simulateSet(vignettes: readonly Vignette[]): Promise<InterviewSummary> {
  const runs: InterviewRun[] = [];
  for (const v of vignettes) if (v.hidden_facts) runs.push(await simulateInterview(v));
  return summarise(runs);
}
