import { describe, expect, it } from 'vitest';
import { DiagnosisService } from '../../../src/domain/diagnosis/diagnose.ts';
import { ANSWERABLE_FINDINGS } from '../../../src/domain/interview/findings-catalog.ts';
import { QUESTIONS } from '../../../src/domain/interview/questions.ts';
import { CONCEPTS } from '../../../src/domain/vocabulary/concepts/index.ts';
import { KnowledgeBaseProvider } from '../../../src/domain/providers/knowledge-base-provider.ts';
import { DiagnoseRequest, type DiagnoseRequestInput } from '../../../src/domain/schemas/diagnose.ts';
import type { Evidence } from '../../../src/domain/schemas/interview.ts';

const service = new DiagnosisService({ primary: new KnowledgeBaseProvider(), fallback: null });
const diagnose = async (input: DiagnoseRequestInput) =>
  (await service.diagnose(DiagnoseRequest.parse(input))).response;

const PREGNANT_BACKACHE: DiagnoseRequestInput = {
  patient: { age: 31, pregnancy_status: 'pregnant', gestational_weeks: 32 },
  symptoms: ['backache since yesterday'],
};
const THRUSH: DiagnoseRequestInput = { patient: { age: 30 }, symptoms: ['itchy down there', 'discharge'] };

describe('interview questions', () => {
  it('has a patient question for every finding the text matcher understands', () => {
    const helpers = Object.entries(QUESTIONS)
      .filter(([, q]) => q === null)
      .map(([id]) => id);
    expect(helpers).toEqual(['premenarche', 'pregnancy_stated', 'fit_word', 'fit_not_seizure']);
    expect([...ANSWERABLE_FINDINGS.map((f) => f.id), ...helpers].sort()).toEqual(
      CONCEPTS.map((c) => c.id).sort(),
    );
    for (const f of ANSWERABLE_FINDINGS) {
      expect(f.question, f.id).toMatch(/^[A-Z].*\?$/);
      expect(f.question.length, f.id).toBeLessThanOrEqual(110);
    }
  });

  it('asks a pregnant patient about the red flags of late pregnancy before anything else', async () => {
    const { interview, triage } = await diagnose(PREGNANT_BACKACHE);
    expect(triage.level).not.toMatch(/emergency/);
    expect(interview.should_stop).toBe(false);
    expect(interview.questions.length).toBeGreaterThan(0);
    expect(interview.questions[0]!.reason).toBe('red_flag');
    const ids = interview.questions.map((q) => q.id);
    expect(
      ids.some((id) =>
        [
          'fluid_leak',
          'reduced_fetal_movements',
          'regular_contractions',
          'vaginal_bleeding',
          'heavy_bleeding',
        ].includes(id),
      ),
    ).toBe(true);
  });

  it('raises the triage when a red-flag question is answered yes, then stops asking', async () => {
    const first = await diagnose(PREGNANT_BACKACHE);
    const flagged = first.interview.questions.find((q) => q.reason === 'red_flag')!;
    const second = await diagnose({
      ...PREGNANT_BACKACHE,
      evidence: [{ id: flagged.id, choice: 'present' }],
    });
    expect(['emergency', 'emergency_ambulance']).toContain(second.triage.level);
    expect(second.interview).toMatchObject({ should_stop: true, stop_reason: 'emergency', questions: [] });
  });

  it('an explicit "no" lowers a condition the text pointed to, and wins over the text', async () => {
    const before = await diagnose(THRUSH);
    const candida = before.differential.find((d) => d.icd10 === 'B37.31')!;
    expect(before.differential[0]!.icd10).toBe('B37.31');
    const after = await diagnose({
      ...THRUSH,
      evidence: [
        { id: 'genital_itch', choice: 'absent' },
        { id: 'thick_white_discharge', choice: 'absent' },
      ],
    });
    const candidaAfter = after.differential.find((d) => d.icd10 === 'B37.31');
    expect(candidaAfter?.probability ?? 0).toBeLessThan(candida.probability / 2);
    expect(after.differential[0]!.icd10).not.toBe('B37.31');
  });

  it('"unknown" records the question as asked without changing the answer', async () => {
    const before = await diagnose(THRUSH);
    const asked = before.interview.questions[0]!.id;
    const after = await diagnose({ ...THRUSH, evidence: [{ id: asked, choice: 'unknown' }] });
    expect(after.differential).toEqual(before.differential);
    expect(after.interview.questions.map((q) => q.id)).not.toContain(asked);
    expect(after.interview.questions_answered).toBe(1);
  });

  it('never repeats a question or asks about what the text already says, and stops at the limit', async () => {
    const input: DiagnoseRequestInput = {
      patient: { age: 26 },
      symptoms: ['pain low down on the right', 'no fever'],
    };
    const evidence: Evidence = [];
    const seen = new Set<string>();
    let stopReason: string | null = null;
    for (let turn = 0; turn < 10; turn++) {
      const { interview } = await diagnose({ ...input, evidence });
      for (const q of interview.questions) {
        expect(seen.has(q.id), q.id).toBe(false);
        expect(['pelvic_pain', 'unilateral_pain', 'fever']).not.toContain(q.id);
        seen.add(q.id);
        evidence.push({ id: q.id, choice: 'unknown' });
      }
      if (interview.should_stop) {
        stopReason = interview.stop_reason;
        break;
      }
    }
    expect(evidence.length).toBeLessThanOrEqual(12);
    expect(['question_limit', 'no_informative_question']).toContain(stopReason);
  });

  it('stops at the configured limit', async () => {
    const small = new DiagnosisService({
      primary: new KnowledgeBaseProvider(),
      fallback: null,
      interview: { maxQuestions: 2, perTurn: 3 },
    });
    const first = (await small.diagnose(DiagnoseRequest.parse(THRUSH))).response.interview;
    expect(first.questions).toHaveLength(2);
    const evidence = first.questions.map((q) => ({ id: q.id, choice: 'absent' as const }));
    const second = (await small.diagnose(DiagnoseRequest.parse({ ...THRUSH, evidence }))).response.interview;
    expect(second).toMatchObject({ should_stop: true, stop_reason: 'question_limit', questions: [] });
  });

  it('stops once the answer is clear', async () => {
    const { interview, differential } = await diagnose({
      patient: { age: 30, pregnancy_status: 'not_pregnant' },
      symptoms: ['itchy vulva', 'thick white discharge like cottage cheese', 'no smell'],
      evidence: [{ id: 'recent_antibiotics', choice: 'present' }],
    });
    expect(differential[0]!.probability).toBeGreaterThanOrEqual(0.8);
    expect(interview).toMatchObject({ should_stop: true, stop_reason: 'confident' });
  });

  it('rejects an unknown finding id and a finding answered twice, naming the entry', () => {
    const unknown = DiagnoseRequest.safeParse({
      ...THRUSH,
      evidence: [{ id: 'not_a_finding', choice: 'present' }],
    });
    expect(unknown.success).toBe(false);
    expect(unknown.error!.issues[0]).toMatchObject({ path: ['evidence', 0, 'id'] });
    expect(unknown.error!.issues[0]!.message).toContain('not_a_finding');
    const twice = DiagnoseRequest.safeParse({
      ...THRUSH,
      evidence: [
        { id: 'fever', choice: 'present' },
        { id: 'fever', choice: 'absent' },
      ],
    });
    expect(twice.success).toBe(false);
    expect(twice.error!.issues[0]).toMatchObject({ path: ['evidence', 1, 'id'] });
  });
});
