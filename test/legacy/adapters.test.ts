import { describe, expect, it } from 'vitest';
import {
  adaptDiagnosisRequest,
  adaptStructuredRequest,
  toLegacyDiagnosisResponse,
  toStructuredResponse,
  validateSymptoms,
} from '../../src/legacy/adapters.ts';
import { parseDiagnosisBody, parseStructuredBody } from '../../src/legacy/parse.ts';
import { LegacyDiagnosisResponse, StructuredResponse } from '../../src/legacy/schemas.ts';
import type { DiagnoseResponse } from '../../src/domain/schemas/diagnose.ts';
import type { TriageLevel } from '../../src/domain/triage.ts';
import { decideCallA, decideCallB } from '../support/backend-client.ts';

function canonical(level: TriageLevel, over: Partial<DiagnoseResponse> = {}): DiagnoseResponse {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    created_at: '2026-11-25T10:00:00.000Z',
    triage: { level, red_flags: [], rationale: 'Because.' },
    differential: [
      {
        condition: 'Primary dysmenorrhoea',
        icd10: 'N94.4',
        probability: 0.8,
        rationale: 'Cramping pain with periods.',
        supporting_findings: ['period pain'],
        recommended_investigations: [],
      },
      {
        condition: 'Endometriosis',
        icd10: 'N80.9',
        probability: 0.15,
        rationale: 'Less likely.',
        supporting_findings: [],
        recommended_investigations: ['Pelvic ultrasound'],
      },
    ],
    recommended_investigations: [{ name: 'Pelvic ultrasound', priority: 'low', reason: 'If pain persists.' }],
    advice: ['Use a hot water bottle.', 'Ibuprofen with food can help.'],
    unrecognized: ['weird lumps on my bum'],
    coverage: 0.6,
    engine: { provider: 'knowledge-base', model: null, fallback: false },
    disclaimer: 'Decision support only.',
    interview: {
      questions: [],
      should_stop: true,
      stop_reason: 'confident',
      explanation: 'Clear.',
      questions_answered: 0,
      question_limit: 12,
    },
    ...over,
  };
}

const CALL_A = {
  symptoms: ['painful periods', 'cramps'],
  patient_age: 22,
  severity_level: 'moderate',
  duration: '2 days',
  progression: 'worsening',
  medical_history: ['asthma', 'allergic to ibuprofen'],
  additional_notes: 'Pain every month',
};

describe('call A adapter', () => {
  it('passes medical_history, additional_notes and progression to the engine', () => {
    const { canonical: req } = adaptDiagnosisRequest(parseDiagnosisBody(CALL_A).data);
    expect(req).toMatchObject({
      patient: { age: 22, pregnancy_status: 'unknown' },
      symptoms: ['painful periods', 'cramps'],
      severity: 'moderate',
      duration: '2 days',
      medical_history: ['asthma', 'allergic to ibuprofen'],
      allergies: ['allergic to ibuprofen'],
      notes: 'Pain every month Progression: worsening.',
    });
  });

  it('defaults severity to moderate, maps low/medium/high, and reads pregnancy from the text', () => {
    const base = { symptoms: ['bleeding'], patient_age: 30, duration: '1 day' };
    expect(adaptDiagnosisRequest(parseDiagnosisBody(base).data).canonical.severity).toBe('moderate');
    expect(
      adaptDiagnosisRequest(parseDiagnosisBody({ ...base, severity_level: 'high' }).data).canonical.severity,
    ).toBe('severe');
    const pregnant = adaptDiagnosisRequest(
      parseDiagnosisBody({ ...base, additional_notes: 'I am 7 weeks pregnant' }).data,
    );
    expect(pregnant.canonical.patient).toMatchObject({ pregnancy_status: 'pregnant', gestational_weeks: 7 });
    const denied = adaptDiagnosisRequest(
      parseDiagnosisBody({ ...base, additional_notes: 'not pregnant' }).data,
    );
    expect(denied.canonical.patient.pregnancy_status).toBe('unknown'); // free text never rules pregnancy out
  });

  it('routine answer: diagnosis with ICD-10, score ≥ 0.5, safe OTC medicines, allergy-screened advice', () => {
    const adapted = adaptDiagnosisRequest(parseDiagnosisBody(CALL_A).data);
    const out = LegacyDiagnosisResponse.parse(toLegacyDiagnosisResponse(canonical('self_care'), adapted));
    expect(out.diagnosis).toBe('Primary dysmenorrhoea (ICD-10 N94.4)');
    expect(out.confidence_score).toBe(0.8);
    // "allergic to ibuprofen" in medical_history: no NSAID suggested, no NSAID advice kept.
    expect(out.recommended_medications.map((m) => m.name)).toEqual(['Paracetamol']);
    expect(out.lifestyle_advice).toEqual(['Use a hot water bottle.']);
    expect(decideCallA(out)).toMatchObject({ severity: 'medium', consultationType: 'chat' });
  });

  it('a drug named anywhere in medical_history is never suggested (the back end mixes allergies into it)', () => {
    const adapted = adaptDiagnosisRequest(
      parseDiagnosisBody({ ...CALL_A, medical_history: ['Ibuprofen'] }).data,
    );
    const out = toLegacyDiagnosisResponse(canonical('self_care'), adapted);
    expect(out.recommended_medications.map((m) => m.name)).toEqual(['Paracetamol']);
  });

  it('emergency answer: score < 0.5, a high-priority investigation, no medicines, must-not-miss named', () => {
    const adapted = adaptDiagnosisRequest(parseDiagnosisBody(CALL_A).data);
    const emergency = canonical('emergency', {
      triage: {
        level: 'emergency',
        red_flags: [{ id: 'x', description: 'Shoulder tip pain in possible pregnancy', level: 'emergency' }],
        rationale: 'R.',
      },
    });
    const out = LegacyDiagnosisResponse.parse(
      toLegacyDiagnosisResponse(emergency, adapted, [{ condition: 'Ectopic pregnancy', icd10: 'O00.90' }]),
    );
    expect(out.confidence_score).toBeLessThan(0.5);
    expect(out.suggested_investigations[0]).toMatchObject({ priority: 'high' });
    expect(out.recommended_medications).toEqual([]);
    expect(out.diagnosis).toContain('Ectopic pregnancy (ICD-10 O00.90)');
    expect(out.follow_up_recommendations).toMatch(/emergency department now.*Shoulder tip pain/);
    expect(decideCallA(out)).toMatchObject({ severity: 'critical', consultationType: 'emergency' });
  });

  it('consultation_24 reads as "low" severity with a high-priority examination (video), and offers no medicines', () => {
    const adapted = adaptDiagnosisRequest(parseDiagnosisBody(CALL_A).data);
    const out = toLegacyDiagnosisResponse(canonical('consultation_24'), adapted);
    expect(out.confidence_score).toBe(0.69);
    expect(out.suggested_investigations[0]).toMatchObject({
      name: 'Clinical examination within 24 hours',
      priority: 'high',
    });
    expect(out.recommended_medications).toEqual([]);
    expect(out.urgency_level).toBe('high');
    expect(decideCallA(out)).toMatchObject({ severity: 'low', consultationType: 'video' });
  });

  it("routine levels keep the engine's priorities (no added high item)", () => {
    const adapted = adaptDiagnosisRequest(parseDiagnosisBody(CALL_A).data);
    const out = toLegacyDiagnosisResponse(canonical('consultation'), adapted);
    expect(out.suggested_investigations).toEqual([
      { name: 'Pelvic ultrasound', priority: 'low', reason: 'If pain persists.' },
    ]);
  });

  it("falls back to the top condition's own investigations when the list is empty", () => {
    const adapted = adaptDiagnosisRequest(parseDiagnosisBody(CALL_A).data);
    const c = canonical('consultation', { recommended_investigations: [] });
    c.differential[0]!.recommended_investigations = ['Urine hCG'];
    expect(toLegacyDiagnosisResponse(c, adapted).suggested_investigations).toEqual([
      { name: 'Urine hCG', priority: 'medium', reason: 'To confirm or exclude Primary dysmenorrhoea.' },
    ]);
  });
});

const STRUCTURED = {
  patient_profile: { age: 28, request_id: 'req-7', timestamp: '2026-11-25T10:00:00Z' },
  primary_complaint: {
    main_symptom: 'Irregular menstrual bleeding',
    duration: '3 weeks',
    severity: 'moderate',
    onset: 'gradual',
    progression: 'worsening',
  },
  symptom_specific_details: {
    symptom_characteristics: {
      flow_intensity: 'heavy',
      clots: true,
      odor: 'none',
      pain_associated: false,
      colours: ['bright red', 'brown'],
    },
  },
  reproductive_history: {
    pregnancy_status: { could_be_pregnant: false, pregnancy_test_result: 'negative' },
    sexual_activity: { sexually_active: true, contraception_method: 'condoms' },
    menstrual_history: { menarche_age: 13, cycle_frequency: 28, period_duration: 5 },
  },
  associated_symptoms: {
    pain: { pelvic_pain: 'intermittent', vulvar_irritation: 'none' },
    systemic: { fatigue: true, nausea: false, fever: 'no', dizziness: 'yes' },
  },
  medical_context: {
    current_medications: ['warfarin'],
    recent_medications: 'metronidazole',
    medical_conditions: ['hypothyroidism'],
    previous_gynecological_issues: ['PCOS'],
    allergies: 'penicillin, sulfa',
    family_history: ['diabetes'],
  },
  healthcare_interaction: {
    previous_consultation: false,
    consultation_outcome: 'none',
    investigations_done: false,
    current_treatment: 'none',
  },
  patient_concerns: { main_worry: 'Fertility', impact_on_life: 'moderate', additional_notes: 'Worried' },
};

describe('call B adapter', () => {
  it('builds symptoms from the main symptom, positive associated symptoms and characteristics', () => {
    const { canonical: req } = adaptStructuredRequest(parseStructuredBody(STRUCTURED).data);
    expect(req.symptoms).toEqual([
      'Irregular menstrual bleeding',
      'pelvic pain (intermittent)',
      'fatigue',
      'dizziness',
      'flow intensity: heavy',
      'clots',
      'colours: bright red, brown',
    ]);
    expect(req).toMatchObject({
      patient: { age: 28, pregnancy_status: 'not_pregnant' },
      severity: 'moderate',
      onset: 'gradual',
      duration: '3 weeks',
      medications: ['warfarin', 'Recently: metronidazole'],
      allergies: ['penicillin', 'sulfa'],
      medical_history: ['hypothyroidism', 'PCOS', 'Family history: diabetes'],
    });
    expect(req.notes).toContain('Main worry: Fertility.');
    expect(req.notes).toContain('Progression: worsening.');
    expect(req.notes).toContain('Contraception: condoms.');
  });

  it.each([
    [{ could_be_pregnant: true }, 'pregnant'],
    [{ could_be_pregnant: 'not sure' }, 'pregnant'],
    [{ pregnancy_test_result: 'Positive' }, 'pregnant'],
    [{ could_be_pregnant: true, pregnancy_test_result: 'negative' }, 'not_pregnant'],
    [{ could_be_pregnant: false }, 'unknown'],
    [{}, 'unknown'],
    ['possibly', 'pregnant'],
    [null, 'unknown'],
  ])('reads pregnancy_status %j as %s', (status, expected) => {
    const body = { ...STRUCTURED, reproductive_history: { pregnancy_status: status } };
    expect(adaptStructuredRequest(parseStructuredBody(body).data).canonical.patient.pregnancy_status).toBe(
      expected,
    );
  });

  it('works with only the required fields', () => {
    const minimal = {
      patient_profile: { age: 45, request_id: 'r' },
      primary_complaint: { main_symptom: 'hot flushes' },
    };
    const adapted = adaptStructuredRequest(parseStructuredBody(minimal).data);
    expect(adapted.canonical).toMatchObject({
      patient: { age: 45, pregnancy_status: 'unknown' },
      symptoms: ['hot flushes'],
    });
    const out = StructuredResponse.parse(
      toStructuredResponse(canonical('consultation'), parseStructuredBody(minimal).data, adapted),
    );
    expect(out.safety_assessment.allergy_considerations).toEqual({
      allergic_medications: [],
      safe_alternatives: [],
      contraindicated_drugs: [],
    });
  });

  it('keeps the legacy contract: neither answer carries unrecognized or coverage', () => {
    const a = toLegacyDiagnosisResponse(
      canonical('consultation'),
      adaptDiagnosisRequest(parseDiagnosisBody(CALL_A).data),
    );
    const data = parseStructuredBody({ structured_request: STRUCTURED }).data;
    const b = toStructuredResponse(canonical('consultation'), data, adaptStructuredRequest(data));
    for (const out of [a, b]) {
      const body = JSON.stringify(out);
      expect(body).not.toContain('weird lumps');
      expect(body).not.toMatch(/"(unrecognized|coverage)"/);
    }
  });

  it('answers with every contract field; urgency and safety follow triage, allergies and medicines', () => {
    const data = parseStructuredBody({ structured_request: STRUCTURED }).data;
    const adapted = adaptStructuredRequest(data);
    const out = StructuredResponse.parse(toStructuredResponse(canonical('self_care'), data, adapted));
    expect(out).toMatchObject({
      request_id: 'req-7',
      patient_age: 28,
      primary_symptom: 'Irregular menstrual bleeding',
      confidence_score: 0.8,
    });
    expect(out.risk_assessment.urgency_level).toBe('low');
    expect(out.safety_assessment.allergy_considerations.allergic_medications).toEqual([
      'penicillin',
      'sulfa',
    ]);
    expect(out.safety_assessment.allergy_considerations.contraindicated_drugs).toEqual(
      expect.arrayContaining(['amoxicillin', 'co-trimoxazole']),
    );
    expect(out.safety_assessment.condition_interactions.join(' ')).toMatch(/Anticoagulant/);
    // Warfarin: no NSAIDs; the NSAID advice line is removed too.
    expect(out.treatment_recommendations.safe_medications.map((m) => m.name)).toEqual(['Paracetamol']);
    expect(out.treatment_recommendations.lifestyle_modifications).toEqual(['Use a hot water bottle.']);
    expect(out.processing_notes.join(' ')).toMatch(/removed/);
    expect(decideCallB(out).price.amount).toBe(299);
  });

  it('an emergency is urgent, priced as urgent, with no medicines', () => {
    const data = parseStructuredBody(STRUCTURED).data;
    const out = toStructuredResponse(canonical('emergency_ambulance'), data, adaptStructuredRequest(data));
    expect(out.risk_assessment.urgency_level).toBe('urgent');
    expect(out.confidence_score).toBe(0.2);
    expect(out.treatment_recommendations.safe_medications).toEqual([]);
    expect(decideCallB(out)).toMatchObject({
      urgency: 'urgent',
      consultationType: 'emergency',
      price: { amount: 999 },
    });
  });
});

describe('validate', () => {
  it('applies the call A symptom rule', () => {
    expect(validateSymptoms(['Itching', ' x ', 'y'.repeat(101), '  pelvic pain '])).toMatchObject({
      valid: ['itching', 'pelvic pain'],
      invalid: [' x ', 'y'.repeat(101)],
      total_symptoms: 4,
      valid_count: 2,
      invalid_count: 2,
    });
  });
});
