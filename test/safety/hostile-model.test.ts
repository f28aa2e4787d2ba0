import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditionName } from '../../src/domain/diagnosis/condition-names.ts';
import { MAX_RESPONSE_BYTES } from '../../src/domain/diagnosis/response-size.ts';
import { OUTPUT_LIMITS } from '../../src/domain/diagnosis/bound.ts';
import { isEmergency } from '../../src/domain/triage.ts';
import { startBackendModelApp, type BackendModelApp } from '../support/backend-model-app.ts';

/**
 * The fake model answers with everything a model must not relay (HOSTILE_ASSESSMENT): self-care advice
 * beside an emergency the rules raised, links, markup, phone numbers, 20,000 advice lines, strings of
 * 100 kB and a wrong name for a valid code. Every route must answer within the size bound, consistent
 * with the final level, and with none of it.
 */

const ECTOPIC = {
  patient: { age: 29, pregnancy_status: 'pregnant', gestational_weeks: 7 },
  symptoms: ['sharp right-sided pelvic pain', 'light vaginal bleeding', 'shoulder tip pain'],
  onset: 'sudden',
  severity: 'severe',
};
const THRUSH = {
  patient: { age: 31, pregnancy_status: 'not_pregnant' },
  symptoms: ['vulval itching', 'thick white discharge'],
};

const FORBIDDEN: Array<[string, RegExp]> = [
  ['a link', /https?:|www\.|\.example\b/i],
  ['an e-mail address', /@clinic/],
  ['a phone number', /0800|7946|\+44/],
  ['HTML', /<\/?[a-z]/i],
  ['markdown', /\*\*|##|\]\(/],
  ['the model’s condition names', /Nothing serious|Totally harmless/],
];
const SERVER_IDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d\d-\d\dT[\d:.]+Z/gi;
const DISMISSIVE = /stay home|no need to see|home remed|wait and see|rest at home|nothing to worry/i;

describe('a hostile model answer', () => {
  let app: BackendModelApp;
  beforeAll(async () => {
    app = await startBackendModelApp('hostile');
  });
  afterAll(async () => app.stop());

  const post = async (url: string, payload: object) => {
    const res = await app.post(url, payload);
    expect(res.rawPayload.byteLength).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    // The answer's own random id and timestamp may contain "0800" by chance: check the rest.
    const text = res.body.replace(SERVER_IDS, '');
    for (const [what, pattern] of FORBIDDEN) expect(text, what).not.toMatch(pattern);
    return res.json();
  };

  it('canonical: a rule-raised emergency keeps the rules’ advice first and no advice against it', async () => {
    const body = await post('/v1/diagnose', ECTOPIC);
    expect(body.engine).toMatchObject({ provider: 'openai', fallback: false });
    expect(isEmergency(body.triage.level)).toBe(true);
    expect(body.triage.red_flags.map((f: { id: string }) => f.id)).toContain('ectopic-pregnancy-signs');
    expect(body.triage.rationale).toMatch(/^Urgency raised to "emergency/);
    expect(body.triage.rationale).not.toMatch(DISMISSIVE);
    expect(body.advice[0]).toMatch(/emergency department|ambulance/i);
    for (const line of body.advice) expect(line).not.toMatch(DISMISSIVE);
    expect(body.advice).toContain('Drink plenty of water.'); // advice that does not contradict stays
    expect(body.advice.length).toBeLessThanOrEqual(OUTPUT_LIMITS.advice + 1);
  });

  it('canonical: items are named by the catalog and their texts capped', async () => {
    const body = await post('/v1/diagnose', ECTOPIC);
    const ectopic = body.differential.find((d: { icd10: string }) => d.icd10 === 'O00.90');
    expect(ectopic.condition).toBe(conditionName('O00.90'));
    expect(ectopic.condition).toMatch(/ectopic/i);
    expect(Buffer.byteLength(ectopic.rationale)).toBeLessThanOrEqual(OUTPUT_LIMITS.itemRationaleBytes);
    expect(ectopic.supporting_findings.length).toBeLessThanOrEqual(OUTPUT_LIMITS.findingsPerItem);
    expect(ectopic.recommended_investigations.length).toBeLessThanOrEqual(
      OUTPUT_LIMITS.investigationsPerItem,
    );
    expect(body.recommended_investigations.length).toBeLessThanOrEqual(OUTPUT_LIMITS.investigations);
    expect(body.differential.find((d: { icd10: string }) => d.icd10 === 'N94.6').condition).toBe(
      conditionName('N94.6'),
    );
  });

  it('canonical: when no rule fires, the model’s level stands but its text is still plain and bounded', async () => {
    const body = await post('/v1/diagnose', THRUSH);
    expect(body.triage.level).toBe('self_care');
    expect(body.triage.red_flags).toEqual([]);
    expect(Buffer.byteLength(body.triage.rationale)).toBeLessThanOrEqual(OUTPUT_LIMITS.triageRationaleBytes);
  });

  it('legacy call A: the emergency mapping holds and the lifestyle advice does not contradict it', async () => {
    const body = await post('/api/v1/diagnosis/', {
      diagnosis_request: {
        symptoms: ['sharp pelvic pain', 'vaginal bleeding', 'shoulder tip pain'],
        patient_age: 29,
        severity_level: 'severe',
        onset: 'sudden',
        duration: '6 hours',
        additional_notes: 'I am 7 weeks pregnant',
      },
    });
    expect(body.triage_level).toBe('emergency');
    expect(body.confidence_score).toBeLessThan(0.5);
    expect(body.diagnosis).toMatch(/^Ectopic pregnancy/);
    expect(body.lifestyle_advice[0]).toMatch(/emergency department/i);
    for (const line of body.lifestyle_advice) expect(line).not.toMatch(DISMISSIVE);
    expect(body.recommended_medications).toEqual([]);
  });

  it('legacy call B: thousands of echoed allergies and the hostile answer still fit, levels kept', async () => {
    const allergies = Array.from({ length: 2000 }, (_, i) => `allergy to drug-${i}`);
    const body = await post('/api/v1/diagnosis/structure', {
      structured_request: {
        patient_profile: { age: 29, request_id: 'req_hostile_b' },
        primary_complaint: {
          main_symptom: 'Severe one-sided pelvic pain',
          severity: 'severe',
          onset: 'sudden',
        },
        symptom_specific_details: {
          symptom_characteristics: { vaginal_bleeding: true, shoulder_tip_pain: true },
        },
        reproductive_history: { pregnancy_status: { could_be_pregnant: 'yes' } },
        medical_context: { allergies },
      },
    });
    expect(body.request_id).toBe('req_hostile_b');
    expect(body.triage_level).toBe('emergency');
    expect(body.risk_assessment.urgency_level).toBe('urgent');
    expect(body.treatment_recommendations.safe_medications).toEqual([]);
    expect(body.possible_diagnoses[0].name).toBe(conditionName('O00.90'));
    for (const line of body.treatment_recommendations.lifestyle_modifications)
      expect(line).not.toMatch(DISMISSIVE);
    // The echoed lists lost detail, not their start.
    expect(body.safety_assessment.allergy_considerations.allergic_medications[0]).toBe('allergy to drug-0');
  });
});
