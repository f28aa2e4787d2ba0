import { describe, expect, it } from 'vitest';
import { LegacyValidationError } from '../../src/legacy/fastapi-errors.ts';
import { parseDiagnosisBody, parseStructuredBody, parseSymptomList } from '../../src/legacy/parse.ts';

const CALL_A = {
  symptoms: ['pelvic pain', 'irregular periods'],
  patient_age: 28,
  severity_level: 'moderate',
  duration: '2 weeks',
  medical_history: [],
  additional_notes: '',
};

function detailOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LegacyValidationError);
    return (error as LegacyValidationError).detail;
  }
  throw new Error('expected a validation error');
}

describe('call A body', () => {
  it('accepts the wrapped and the flat form alike', () => {
    expect(parseDiagnosisBody({ diagnosis_request: CALL_A })).toMatchObject({
      wrapped: true,
      data: { patient_age: 28 },
    });
    expect(parseDiagnosisBody(CALL_A)).toMatchObject({ wrapped: false, data: { patient_age: 28 } });
  });

  it('writes loc as FastAPI would for the body sent: with "diagnosis_request" only when wrapped', () => {
    const four = { ...CALL_A, symptoms: ['aa', 'bb', 'cc', 'dd'] };
    expect(detailOf(() => parseDiagnosisBody({ diagnosis_request: four }))).toEqual([
      expect.objectContaining({ type: 'too_long', loc: ['body', 'diagnosis_request', 'symptoms'] }),
    ]);
    expect(detailOf(() => parseDiagnosisBody(four))).toEqual([
      expect.objectContaining({ type: 'too_long', loc: ['body', 'symptoms'] }),
    ]);
  });

  it("applies the Python service's rules: 1–3 symptoms of 2–100 chars, age 12–100, duration 1–50, enums", () => {
    const d = detailOf(() =>
      parseDiagnosisBody({
        symptoms: ['x', 'y'.repeat(101)],
        patient_age: 11,
        severity_level: 'extreme',
        duration: '',
        onset: 'yesterday',
        progression: 'worse',
      }),
    );
    expect(d.map((i) => [i.loc.join('.'), i.type])).toEqual([
      ['body.symptoms.0', 'string_too_short'],
      ['body.symptoms.1', 'string_too_long'],
      ['body.patient_age', 'greater_than_equal'],
      ['body.severity_level', 'enum'],
      ['body.duration', 'string_too_short'],
      ['body.onset', 'enum'],
      ['body.progression', 'enum'],
    ]);
    expect(d[3]?.msg).toBe("Input should be 'mild', 'moderate' or 'severe'");
    expect(detailOf(() => parseDiagnosisBody({ ...CALL_A, patient_age: 101 }))[0]).toMatchObject({
      type: 'less_than_equal',
      ctx: { le: 100 },
    });
    expect(detailOf(() => parseDiagnosisBody({ ...CALL_A, symptoms: [] }))[0]).toMatchObject({
      type: 'too_short',
    });
    expect(detailOf(() => parseDiagnosisBody({ ...CALL_A, patient_age: 28.5 }))[0]).toMatchObject({
      type: 'int_from_float',
    });
  });

  it('reports missing fields as "missing" and never echoes the rejected value', () => {
    const d = detailOf(() =>
      parseDiagnosisBody({ diagnosis_request: { symptoms: ['SECRET symptom'], patient_age: 7 } }),
    );
    expect(d).toContainEqual({
      type: 'missing',
      loc: ['body', 'diagnosis_request', 'duration'],
      msg: 'Field required',
    });
    expect(JSON.stringify(d)).not.toContain('SECRET');
    expect(detailOf(() => parseDiagnosisBody(undefined))).toEqual([
      { type: 'missing', loc: ['body'], msg: 'Field required' },
    ]);
    expect(detailOf(() => parseDiagnosisBody({ diagnosis_request: [1] }))[0]).toMatchObject({
      type: 'model_attributes_type',
      loc: ['body', 'diagnosis_request'],
    });
  });

  it('accepts the bounds, a numeric-string age, nulls for optional fields and low/medium/high severities', () => {
    expect(parseDiagnosisBody({ ...CALL_A, patient_age: 12 }).data.patient_age).toBe(12);
    expect(parseDiagnosisBody({ ...CALL_A, patient_age: 100 }).data.patient_age).toBe(100);
    expect(parseDiagnosisBody({ ...CALL_A, patient_age: '28' }).data.patient_age).toBe(28);
    expect(
      parseDiagnosisBody({ ...CALL_A, medical_history: null, additional_notes: null, severity_level: 'high' })
        .data,
    ).toMatchObject({
      severity_level: 'high',
    });
  });
});

describe('call B body', () => {
  const minimal = {
    patient_profile: { age: 30, request_id: 'req-1' },
    primary_complaint: { main_symptom: 'pelvic pain' },
  };

  it('requires only age, request_id and main_symptom', () => {
    expect(parseStructuredBody(minimal).data.patient_profile.request_id).toBe('req-1');
    expect(parseStructuredBody({ structured_request: minimal }).wrapped).toBe(true);
    const d = detailOf(() =>
      parseStructuredBody({ structured_request: { patient_profile: { age: 9 }, primary_complaint: {} } }),
    );
    expect(d.map((i) => i.loc.join('.'))).toEqual([
      'body.structured_request.patient_profile.age',
      'body.structured_request.patient_profile.request_id',
      'body.structured_request.primary_complaint.main_symptom',
    ]);
    expect(
      detailOf(() => parseStructuredBody({ ...minimal, patient_profile: { age: 101, request_id: 'x' } }))[0]
        ?.type,
    ).toBe('less_than_equal');
    expect(
      parseStructuredBody({ ...minimal, patient_profile: { age: 10, request_id: 'x' } }).data.patient_profile
        .age,
    ).toBe(10);
  });

  it('accepts near types: boolean/number/string yes-no answers, comma-string lists, nulls, unknown fields', () => {
    const body = {
      ...minimal,
      associated_symptoms: { systemic: { fatigue: true, nausea: 0, fever: 'no' }, pain: null },
      medical_context: { allergies: 'penicillin, latex', current_medications: null, extra_field: 1 },
      reproductive_history: { menstrual_history: { cycle_frequency: 28 } },
      healthcare_interaction: null,
      whatever: { nested: true },
    };
    expect(() => parseStructuredBody(body)).not.toThrow();
  });

  it('rejects a yes/no field that is an object, naming its loc', () => {
    const d = detailOf(() =>
      parseStructuredBody({ ...minimal, associated_symptoms: { systemic: { fever: { value: 39 } } } }),
    );
    expect(d[0]).toMatchObject({
      loc: ['body', 'associated_symptoms', 'systemic', 'fever'],
      type: 'value_error',
    });
  });
});

describe('validate body', () => {
  it('takes a JSON array of strings, or {"symptoms": [...]}', () => {
    expect(parseSymptomList(['itching'])).toEqual(['itching']);
    expect(parseSymptomList({ symptoms: ['itching'] })).toEqual(['itching']);
    expect(detailOf(() => parseSymptomList(['ok', 3]))).toEqual([
      { type: 'string_type', loc: ['body', 1], msg: 'Input should be a valid string' },
    ]);
    expect(detailOf(() => parseSymptomList('itching'))[0]).toMatchObject({
      type: 'list_type',
      loc: ['body'],
    });
  });
});
