import { describe, expect, it } from 'vitest';
import { durationInDays, extractFindings, findingLabel } from '../../../src/domain/vocabulary/findings.ts';
import { request } from './support.ts';

const findings = (input: Parameters<typeof request>[0]) => extractFindings(request(input)).present;

describe('findings from vitals', () => {
  const vitals = (v: NonNullable<Parameters<typeof request>[0]['vitals']>) =>
    findings({ symptoms: ['unwell'], vitals: v });

  it('derives fever from 38 °C, not below', () => {
    expect(vitals({ temperature_c: 38 })).toContain('fever');
    expect(vitals({ temperature_c: 37.9 })).not.toContain('fever');
  });

  it('derives tachycardia above 100 and severe tachycardia above 120', () => {
    expect(vitals({ heart_rate_bpm: 100 })).not.toContain('tachycardia');
    expect(vitals({ heart_rate_bpm: 101 })).toContain('tachycardia');
    expect(vitals({ heart_rate_bpm: 120 })).not.toContain('severe_tachycardia');
    expect(vitals({ heart_rate_bpm: 121 })).toContain('severe_tachycardia');
  });

  it('derives hypotension below a systolic of 90', () => {
    expect(vitals({ systolic_bp: 89 })).toContain('hypotension');
    expect(vitals({ systolic_bp: 90 })).not.toContain('hypotension');
  });

  it('derives hypertension from 140/90 and severe hypertension from 160/110', () => {
    expect(vitals({ systolic_bp: 139, diastolic_bp: 89 })).not.toContain('hypertension');
    expect(vitals({ systolic_bp: 140, diastolic_bp: 80 })).toContain('hypertension');
    expect(vitals({ systolic_bp: 120, diastolic_bp: 90 })).toContain('hypertension');
    expect(vitals({ systolic_bp: 159, diastolic_bp: 109 })).not.toContain('severe_hypertension');
    expect(vitals({ systolic_bp: 160, diastolic_bp: 80 })).toContain('severe_hypertension');
    expect(vitals({ systolic_bp: 130, diastolic_bp: 110 })).toContain('severe_hypertension');
  });

  it('derives hypoxia below 94% and tachypnoea from 22 breaths a minute', () => {
    expect(vitals({ oxygen_saturation: 93 })).toContain('hypoxia');
    expect(vitals({ oxygen_saturation: 94 })).not.toContain('hypoxia');
    expect(vitals({ respiratory_rate: 22 })).toContain('tachypnoea');
    expect(vitals({ respiratory_rate: 21 })).not.toContain('tachypnoea');
  });
});

describe('findings from demographics', () => {
  it('treats an unknown status at reproductive age as possibly pregnant', () => {
    expect(findings({ patient: { age: 30 }, symptoms: ['pain'] })).toContain('possibly_pregnant');
    expect(
      findings({ patient: { age: 30, pregnancy_status: 'not_pregnant' }, symptoms: ['pain'] }),
    ).not.toContain('possibly_pregnant');
    expect(findings({ patient: { age: 58 }, symptoms: ['pain'] })).not.toContain('possibly_pregnant');
    expect(
      findings({ patient: { age: 50, menopausal_status: 'postmenopausal' }, symptoms: ['pain'] }),
    ).not.toContain('possibly_pregnant');
  });

  it('counts a positive pregnancy test as pregnant when the status is unknown', () => {
    const f = findings({ symptoms: ['positive pregnancy test', 'cramps'] });
    expect(f).toContain('pregnant');
    expect(f).not.toContain('possibly_pregnant');
  });

  it('derives postpartum from the status or from a recent birth in the text', () => {
    expect(findings({ patient: { age: 30, pregnancy_status: 'postpartum' }, symptoms: ['tired'] })).toContain(
      'postpartum',
    );
    expect(findings({ symptoms: ['gave birth 6 days ago', 'bleeding'] })).toContain('postpartum');
  });

  it('places gestation in bands', () => {
    const at = (weeks: number) =>
      findings({
        patient: { age: 30, pregnancy_status: 'pregnant', gestational_weeks: weeks },
        symptoms: ['headache'],
      });
    expect(at(8)).toContain('gestation_first_trimester');
    expect(at(19.9)).not.toContain('gestation_20_plus');
    expect(at(20)).toContain('gestation_20_plus');
    expect(at(36)).toContain('gestation_preterm');
    expect(at(37)).toContain('gestation_term');
  });

  it('derives postmenopausal bleeding only after the menopause', () => {
    expect(
      findings({ patient: { age: 60, menopausal_status: 'postmenopausal' }, symptoms: ['some bleeding'] }),
    ).toContain('postmenopausal_bleeding');
    expect(findings({ patient: { age: 30 }, symptoms: ['some bleeding'] })).not.toContain(
      'postmenopausal_bleeding',
    );
  });

  it('maps onset, severity and a long duration', () => {
    const f = findings({ symptoms: ['bloating'], onset: 'sudden', severity: 'severe', duration: '4 weeks' });
    expect(f).toContain('onset_sudden');
    expect(f).toContain('severity_severe');
    expect(f).toContain('duration_3_weeks_plus');
  });
});

describe('durationInDays', () => {
  it.each([
    ['3 days', 3],
    ['2 weeks', 14],
    ['6 hours', 0.25],
    ['a month', 30],
    ['since forever', undefined],
  ])('%s → %s', (text, days) => {
    expect(durationInDays(text)).toBe(days);
  });
});

describe('findingLabel', () => {
  it('gives human labels for concepts and derived findings', () => {
    expect(findingLabel('shoulder_tip_pain')).toBe('shoulder-tip pain');
    expect(findingLabel('severe_hypertension')).toBe('blood pressure 160/110 or higher');
  });
});

describe('every field is read, with its meaning', () => {
  const pregnant = { age: 30, pregnancy_status: 'pregnant' as const, gestational_weeks: 33 };

  it('reads a clue given only in duration', () => {
    expect(
      findings({
        patient: pregnant,
        symptoms: ['tummy feels tight'],
        duration: 'since my waters went this morning',
      }),
    ).toContain('fluid_leak');
  });

  it('reads a clue given only in notes or medications', () => {
    expect(findings({ symptoms: ['tummy pain'], notes: 'had IVF, egg collection on Monday' })).toContain(
      'fertility_treatment',
    );
    expect(findings({ symptoms: ['itching'], medications: ['amoxicillin'] })).toContain('recent_antibiotics');
  });

  it('reads medical history as risk factors, not as current complaints', () => {
    const f = extractFindings(
      request({
        symptoms: ['tummy pain'],
        medical_history: [
          'ectopic pregnancy 2019',
          'heavy bleeding after my first baby',
          'had chlamydia last year',
        ],
      }),
    );
    expect(f.present).toContain('previous_ectopic');
    expect(f.present).toContain('sti_risk');
    expect(f.present).not.toContain('heavy_bleeding');
    expect(f.history).toContain('heavy_bleeding');
  });

  it('never takes a reaction listed under allergies for a current finding', () => {
    expect(findings({ symptoms: ['itching'], allergies: ['penicillin - rash and swelling'] })).not.toContain(
      'rash',
    );
  });
});

describe('a positive test whose kind is not named', () => {
  const unknownStatus = { age: 27, pregnancy_status: 'unknown' as const };

  it('reads "it came up positive" as a possible pregnancy, never a confirmed one', () => {
    const present = findings({
      patient: unknownStatus,
      symptoms: ['did a test last night and it came up positive'],
    });
    expect(present).toContain('possibly_pregnant');
    expect(present).toContain('possible_pregnancy');
    expect(present).not.toContain('pregnant');
  });

  it('leaves a named other test alone', () => {
    const present = findings({ patient: unknownStatus, symptoms: ['my chlamydia test came back positive'] });
    expect(present).not.toContain('possible_pregnancy');
  });
});

describe('a pregnancy stated in the text', () => {
  it('reads "im 33 wks pregnant" as a stated pregnancy', () => {
    expect(
      findings({ patient: { age: 30, pregnancy_status: 'unknown' }, symptoms: ['im 33 wks pregnant'] }),
    ).toContain('pregnancy_stated');
  });
});
