import { describe, expect, it } from 'vitest';
import { DiagnosisService } from '../../../src/domain/diagnosis/diagnose.ts';
import { KnowledgeBaseProvider } from '../../../src/domain/providers/knowledge-base-provider.ts';
import type { DiagnoseRequestInput } from '../../../src/domain/schemas/diagnose.ts';
import { isEmergency, type TriageLevel } from '../../../src/domain/triage.ts';
import { request } from '../vocabulary/support.ts';

/**
 * Over-triage guard: benign presentations, in a patient's words, go through the whole offline
 * pipeline (rules + knowledge base + safety merge) and must not be sent to the emergency department.
 * Each group also has a look-alike that is an emergency, so the guard cannot pass by never escalating.
 */

type Input = Partial<DiagnoseRequestInput> & { symptoms: string[] };
const service = new DiagnosisService({ primary: new KnowledgeBaseProvider(), fallback: null });
const level = async (input: Input): Promise<TriageLevel> =>
  (await service.diagnose(request(input))).response.triage.level;

const pregnant = (gestational_weeks: number) => ({
  age: 29,
  pregnancy_status: 'pregnant' as const,
  gestational_weeks,
});

const BENIGN: readonly [string, Input][] = [
  // Braxton Hicks: irregular, painless, settle with rest, no fluid or bleeding, baby moving (NHS; NICE NG25).
  [
    'practice tightenings that stop with rest',
    {
      patient: pregnant(32),
      symptoms: ['tightenings on and off, not painful', 'they go away when I rest', 'no fluid or bleeding'],
      notes: 'baby moving normally',
    },
  ],
  [
    'bump going hard now and then',
    { patient: pregnant(30), symptoms: ['bump going hard every now and then', 'stops when I lie down'] },
  ],
  [
    'tummy goes hard and tight',
    {
      patient: pregnant(32),
      symptoms: ['my tummy goes hard and tight a few times a day', "doesn't hurt, goes away if I sit down"],
    },
  ],
  [
    'tightenings every now and then, not regular',
    { patient: pregnant(31), symptoms: ['tightening every now and then, maybe 3 or 4 an hour, not regular'] },
  ],
  ['practice contractions', { patient: pregnant(30), symptoms: ['practice contractions'] }],
  // Mid-cycle one-sided pain (NICE CKS: Dysmenorrhoea / Mittelschmerz).
  [
    'mid-cycle twinge',
    {
      patient: { age: 23 },
      symptoms: ['sharp pain on my right side low down', 'happens mid cycle every month'],
    },
  ],
  [
    'pain around ovulation',
    {
      patient: { age: 26, pregnancy_status: 'not_pregnant' },
      symptoms: ['one sided lower tummy pain around ovulation'],
      severity: 'mild',
    },
  ],
  // Physiological discharge (NICE CKS: Vaginal discharge).
  [
    'clear stretchy discharge mid-cycle',
    {
      patient: { age: 19 },
      symptoms: ['more discharge than usual, clear and stretchy', 'no itching or smell'],
    },
  ],
  [
    'more discharge in pregnancy',
    { patient: pregnant(20), symptoms: ['more white discharge since pregnant, no smell, no itch'] },
  ],
  // Primary dysmenorrhoea in a teenager (NICE CKS: Dysmenorrhoea).
  [
    'period pain at 14',
    { patient: { age: 14 }, symptoms: ['bad cramps on first day of period', 'ibuprofen helps'] },
  ],
  [
    'period pain at 16',
    {
      patient: { age: 16 },
      symptoms: ['period pain every month', 'lower tummy ache and backache'],
      severity: 'moderate',
    },
  ],
  // Cyclical breast pain (NICE CKS: Breast pain - cyclical).
  [
    'sore breasts before periods',
    { patient: { age: 35 }, symptoms: ['both breasts sore and lumpy before my period, better after'] },
  ],
  // Mild vasomotor symptoms (NICE NG23: Menopause).
  [
    'mild hot flushes',
    {
      patient: { age: 50, menopausal_status: 'perimenopausal' },
      symptoms: ['hot flushes a few times a day', 'night sweats'],
      severity: 'mild',
    },
  ],
  [
    'hot flashes, irregular periods',
    { patient: { age: 52 }, symptoms: ['getting hot flashes', 'periods every 2-3 months'] },
  ],
  // Wordings that once tripped a rule.
  [
    'both ankles swollen in the evening',
    {
      patient: pregnant(35),
      symptoms: ['swollen legs and ankles by evening'],
      vitals: { systolic_bp: 118, diastolic_bp: 72 },
    },
  ],
  [
    'fit and well',
    { patient: pregnant(22), symptoms: ['mild heartburn'], medical_history: ['fit and well'] },
  ],
  [
    'tired new mother',
    {
      patient: { age: 30, pregnancy_status: 'postpartum' },
      symptoms: ['exhausted', 'baby feeding every 2 hours', "haven't slept properly for days"],
    },
  ],
  ['waters not broken', { patient: pregnant(32), symptoms: ["my waters haven't broken", 'backache'] }],
];

const EMERGENCY: readonly [string, Input][] = [
  [
    'regular painful tightenings at 32 weeks',
    { patient: pregnant(32), symptoms: ['painful tightenings every 5 minutes', 'getting stronger'] },
  ],
  ['bump rock hard and tender', { patient: pregnant(32), symptoms: ['bump is rock hard and tender'] }],
  [
    'one-sided pain with a late period',
    { patient: { age: 23 }, symptoms: ['sharp pain on my right side low down', 'period is 2 weeks late'] },
  ],
  [
    'sudden severe one-sided pain with vomiting',
    { patient: { age: 26 }, symptoms: ['one sided pain', 'vomiting'], onset: 'sudden', severity: 'severe' },
  ],
  [
    'one swollen leg after birth',
    { patient: { age: 30, pregnancy_status: 'postpartum' }, symptoms: ['my left leg is swollen and hot'] },
  ],
  [
    'no sleep for days and hearing things after birth',
    {
      patient: { age: 30, pregnancy_status: 'postpartum' },
      symptoms: ["haven't slept for days", 'hearing voices'],
    },
  ],
];

describe('over-triage guard (offline pipeline)', () => {
  it.each(BENIGN)('does not send "%s" to the emergency department', async (_, input) => {
    expect(isEmergency(await level(input))).toBe(false);
  });

  it.each(EMERGENCY)('still sends the look-alike "%s" to the emergency department', async (_, input) => {
    expect(isEmergency(await level(input))).toBe(true);
  });
});
