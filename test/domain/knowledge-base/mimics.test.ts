import { describe, expect, it } from 'vitest';
import { DiagnosisService } from '../../../src/domain/diagnosis/diagnose.ts';
import { isKnownIcd10 } from '../../../src/domain/icd10/catalog.ts';
import { BENIGN_CONDITIONS } from '../../../src/domain/knowledge-base/conditions/benign.ts';
import { NON_GYNAECOLOGICAL_CONDITIONS } from '../../../src/domain/knowledge-base/conditions/non-gynaecological.ts';
import { KnowledgeBaseProvider } from '../../../src/domain/providers/knowledge-base-provider.ts';
import type { DiagnoseRequestInput } from '../../../src/domain/schemas/diagnose.ts';
import { urgencyRank, type TriageLevel } from '../../../src/domain/triage.ts';
import { request } from '../vocabulary/support.ts';

/**
 * Conditions outside gynaecology that patients bring to it (kidney stone, bowel, shingles, the spine)
 * and benign cycle, breast, discharge and contraception questions: each, described in a patient's
 * own words through the whole offline pipeline, has its code in the top three and a triage level in
 * its acceptable range (benign ones never above a routine consultation).
 */

type Input = Partial<DiagnoseRequestInput> & { symptoms: string[] };
const service = new DiagnosisService({ primary: new KnowledgeBaseProvider(), fallback: null });
const diagnose = async (input: Input) => (await service.diagnose(request(input))).response;

const woman = (age: number, extra: object = {}) => ({
  age,
  pregnancy_status: 'not_pregnant' as const,
  ...extra,
});

interface Case {
  readonly name: string;
  readonly code: string;
  readonly range: readonly [TriageLevel, TriageLevel];
  readonly input: Input;
}

const CASES: readonly Case[] = [
  {
    name: 'stone: pain from the back round into the groin, in waves, pink pee',
    code: 'N20.1',
    range: ['consultation_24', 'emergency'],
    input: {
      patient: woman(44),
      symptoms: [
        'pain in my back on the right that shoots down to my groin',
        'comes in waves, cannot get comfortable',
      ],
      notes: 'pee is a pinkish colour',
      onset: 'sudden',
    },
  },
  {
    name: 'kidney stone again: loin pain, blood in urine, had stones before',
    code: 'N20.0',
    range: ['consultation_24', 'emergency'],
    input: {
      patient: woman(50),
      symptoms: ['kidney pain on the left side', 'blood in my urine'],
      medical_history: ['kidney stones 5 years ago'],
    },
  },
  {
    name: 'constipation: hard poo every few days with bloating',
    code: 'K59.00',
    range: ['self_care', 'consultation'],
    input: {
      patient: woman(16),
      symptoms: ['haven’t done a poo for 4 days', 'bloated and crampy'],
      notes: 'when I go it is really hard',
      onset: 'gradual',
      severity: 'mild',
    },
  },
  {
    name: 'constipation from a codeine painkiller',
    code: 'K59.03',
    range: ['self_care', 'consultation'],
    input: {
      patient: woman(35),
      symptoms: ['constipated and bloated since I started painkillers'],
      medications: ['co-codamol for my back'],
      severity: 'mild',
    },
  },
  {
    name: 'diverticulitis: older woman, left-sided pain, fever, known pouches',
    code: 'K57.32',
    range: ['consultation_24', 'emergency'],
    input: {
      patient: { age: 68, menopausal_status: 'postmenopausal' },
      symptoms: ['tummy ache low on the left for two days', 'loose poo'],
      medical_history: ['diverticulosis'],
      vitals: { temperature_c: 38.3 },
    },
  },
  {
    name: 'stomach bug: diarrhoea and vomiting, family ill too',
    code: 'A08.4',
    range: ['self_care', 'consultation_24'],
    input: {
      patient: woman(31),
      symptoms: ['runny poo all day', 'been sick twice', 'stomach cramps'],
      notes: 'my son has it too, think it is a tummy bug',
      duration: '1 day',
    },
  },
  {
    name: 'shingles: burning then a strip of blisters on one side',
    code: 'B02.9',
    range: ['consultation', 'consultation_24'],
    input: {
      patient: { age: 66, menopausal_status: 'postmenopausal' },
      symptoms: ['burning pain on my left hip and bottom', 'then a band of blisters appeared'],
    },
  },
  {
    name: 'cauda equina: back pain with numb bottom and trouble passing urine',
    code: 'G83.4',
    range: ['emergency', 'emergency_ambulance'],
    input: {
      patient: woman(47),
      symptoms: ['lower back pain and sciatica in both legs', 'numb around my bottom', 'cannot pee properly'],
    },
  },
  {
    name: 'normal discharge: clear and stretchy, no itch or smell',
    code: 'N89.8',
    range: ['self_care', 'consultation'],
    input: {
      patient: woman(19),
      symptoms: ['clear stretchy discharge some days, white on others'],
      notes: 'not itchy, no smell, no pain',
    },
  },
  {
    name: 'cyclical breast pain before periods',
    code: 'N64.4',
    range: ['self_care', 'consultation'],
    input: {
      patient: woman(28),
      symptoms: ['my breasts ache for a week before my period', 'eases when it comes'],
      onset: 'chronic',
    },
  },
  {
    name: 'spotting on a new pill',
    code: 'N93.8',
    range: ['self_care', 'consultation'],
    input: {
      patient: woman(22),
      symptoms: ['bleeding between periods, just spotting'],
      notes: 'started a new pill 2 months ago, no pain',
      medications: ['desogestrel'],
    },
  },
  {
    name: 'irregular periods a year after they started',
    code: 'N92.6',
    range: ['self_care', 'consultation'],
    input: {
      patient: { age: 14 },
      symptoms: ['irregular periods, sometimes 6 weeks apart'],
      notes: 'periods started 11 months ago, not heavy',
    },
  },
  {
    name: 'adult period pain',
    code: 'N94.6',
    range: ['self_care', 'consultation'],
    input: { patient: woman(34), symptoms: ['period pain every month', 'crampy with some backache'] },
  },
  {
    name: 'emergency contraception after a split condom',
    code: 'Z30.012',
    range: ['consultation_24', 'consultation_24'],
    input: { patient: woman(26), symptoms: ['the condom split yesterday, need the morning after pill'] },
  },
];

describe('mimics and benign gynaecology in a patient’s words', () => {
  it.each(CASES)('$name: $code in the top 3, triage in range', async ({ code, range, input }) => {
    const response = await diagnose(input);
    const top3 = response.differential.slice(0, 3).map((d) => d.icd10);
    expect(top3).toContain(code);
    const rank = urgencyRank(response.triage.level);
    expect(rank).toBeGreaterThanOrEqual(urgencyRank(range[0]));
    expect(rank).toBeLessThanOrEqual(urgencyRank(range[1]));
  });

  it('latex exposure points to an irritant vulvitis, not emergency contraception', async () => {
    const response = await diagnose({
      patient: woman(29),
      symptoms: ['itchy and red outside after sex'],
      notes: 'we started using condoms last week',
    });
    expect(response.differential.slice(0, 3).map((d) => d.icd10)).toContain('N76.2');
    expect(response.differential[0]!.icd10).not.toBe('Z30.012');
  });

  it('a painful one-sided swelling at the entrance is a Bartholin abscess seen within a day', async () => {
    const response = await diagnose({
      patient: woman(30),
      symptoms: ['really sore swelling at the entrance on one side', 'hurts to sit'],
      severity: 'severe',
    });
    expect(response.differential[0]!.icd10).toBe('N75.1');
    expect(response.triage.level).toBe('consultation_24');
  });

  it('months of urgency with leaks and night-time trips, without burning, is an overactive bladder', async () => {
    const response = await diagnose({
      patient: { age: 72, menopausal_status: 'postmenopausal' },
      symptoms: ['have to rush to the loo and dont always make it', 'up three times in the night'],
      notes: 'no burning',
      onset: 'chronic',
    });
    expect(response.differential[0]!.icd10).toBe('N39.41');
  });

  it('a painkiller alone, without constipation, does not suggest drug-induced constipation', async () => {
    const response = await diagnose({ patient: woman(40), symptoms: ['headache'], medications: ['codeine'] });
    expect(response.differential.slice(0, 3).map((d) => d.icd10)).not.toContain('K59.03');
  });

  it('every new condition uses a catalogued code and cites its guideline', () => {
    for (const c of [...NON_GYNAECOLOGICAL_CONDITIONS, ...BENIGN_CONDITIONS]) {
      expect(isKnownIcd10(c.icd10), c.icd10).toBe(true);
      expect(c.source).toMatch(/NICE|RCOG|ACOG|WHO|FSRH/);
    }
  });
});

describe('text that used to read as a missed period', () => {
  it('a period due next week is not late: diarrhoea and vomiting stay a stomach bug', async () => {
    const response = await diagnose({
      patient: { age: 27 },
      symptoms: ['diarrhoea and vomiting since last night', 'crampy tummy'],
      notes: 'my period is due next week',
    });
    expect(response.triage.red_flags.map((r) => r.id)).not.toContain('ectopic-pregnancy-signs');
    expect(urgencyRank(response.triage.level)).toBeLessThanOrEqual(urgencyRank('consultation'));
    expect(response.differential[0]!.icd10).toBe('A08.4');
  });

  it('a girl whose periods have not started has no missed period', async () => {
    const response = await diagnose({
      patient: { age: 11 },
      symptoms: ['tummy ache and constipated'],
      notes: 'she has not started her periods',
    });
    expect(response.differential.slice(0, 3).map((d) => d.icd10)).not.toContain('O00.90');
    expect(response.differential[0]!.icd10).toBe('K59.00');
  });
});
