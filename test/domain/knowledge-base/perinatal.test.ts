import { describe, expect, it } from 'vitest';
import { DiagnosisService } from '../../../src/domain/diagnosis/diagnose.ts';
import { KnowledgeBaseProvider } from '../../../src/domain/providers/knowledge-base-provider.ts';
import type { DiagnoseRequestInput } from '../../../src/domain/schemas/diagnose.ts';
import { urgencyRank, type TriageLevel } from '../../../src/domain/triage.ts';
import { request } from '../vocabulary/support.ts';

/**
 * The perinatal conditions of the knowledge base, through the whole offline pipeline: the specific
 * condition comes first when its features are there, and normal recovery is not sent to hospital.
 */

type Input = Partial<DiagnoseRequestInput> & { symptoms: string[] };
const service = new DiagnosisService({ primary: new KnowledgeBaseProvider(), fallback: null });
const answer = async (input: Input) => (await service.diagnose(request(input))).response;

const pregnant = (weeks: number) => ({
  age: 31,
  pregnancy_status: 'pregnant' as const,
  gestational_weeks: weeks,
});
const postpartum = { age: 28, pregnancy_status: 'postpartum' as const };

const RANKED: readonly [string, string, Input][] = [
  [
    'severe pre-eclampsia',
    'O14.10',
    {
      patient: pregnant(36),
      symptoms: ['terrible headache', 'flashing lights in my vision', 'pain under my right ribs'],
      vitals: { systolic_bp: 166, diastolic_bp: 112 },
    },
  ],
  [
    'pre-eclampsia after birth',
    'O14.15',
    {
      patient: postpartum,
      symptoms: ['bad headache', 'seeing spots'],
      vitals: { systolic_bp: 164, diastolic_bp: 106 },
    },
  ],
  [
    'HELLP syndrome',
    'O14.20',
    {
      patient: pregnant(34),
      symptoms: ['pain at the top of my tummy', 'threw up', 'feel fluey'],
      notes: 'gaviscon not helping',
    },
  ],
  ['eclampsia', 'O15.00', { patient: pregnant(37), symptoms: ['she had a seizure', 'now confused'] }],
  ['cord prolapse', 'O69.0XX0', { patient: pregnant(39), symptoms: ['waters broke', 'I can see the cord'] }],
  [
    'unexplained bleeding late in pregnancy',
    'O46.90',
    { patient: pregnant(27), symptoms: ['bright red bleeding'] },
  ],
  [
    'postnatal deep vein thrombosis',
    'O87.1',
    { patient: postpartum, symptoms: ['left calf swollen and painful'] },
  ],
  ['suicidal thoughts', 'R45.851', { patient: { age: 47 }, symptoms: ['want to end my life'] }],
];

const BENIGN: readonly [string, string, TriageLevel, Input][] = [
  [
    'Braxton Hicks tightenings with the baby moving',
    'O47.9',
    'consultation_24',
    {
      patient: pregnant(32),
      symptoms: ['tummy goes hard now and then', 'not painful just uncomfortable', 'baby kicking away'],
    },
  ],
  [
    'settling lochia',
    'Z39.2',
    'consultation',
    {
      patient: postpartum,
      symptoms: ['still bleeding 12 days after birth', 'pinky brown now'],
      notes: 'feel fine',
    },
  ],
  [
    'baby blues on day 4',
    'O90.6',
    'consultation',
    {
      patient: postpartum,
      symptoms: ['crying at everything', 'feel anxious'],
      duration: 'day 4 after birth',
    },
  ],
  [
    'engorgement as the milk comes in',
    'O92.29',
    'consultation',
    {
      patient: postpartum,
      symptoms: ['both breasts full and hard', 'baby struggling to latch'],
      notes: 'milk came in yesterday',
    },
  ],
  [
    'round ligament pain',
    'O26.892',
    'consultation',
    { patient: pregnant(19), symptoms: ['stretching pain in my groin when I turn in bed'], severity: 'mild' },
  ],
];

describe('perinatal knowledge base', () => {
  it.each(RANKED)('puts %s first', async (_, code, input) => {
    expect((await answer(input)).differential[0]?.icd10).toBe(code);
  });

  it.each(BENIGN)('answers %s without sending her to hospital', async (_, code, worst, input) => {
    const response = await answer(input);
    expect(response.differential[0]?.icd10).toBe(code);
    expect(urgencyRank(response.triage.level)).toBeLessThanOrEqual(urgencyRank(worst));
  });

  it('still sends heavy bleeding with faintness after birth by ambulance', async () => {
    const response = await answer({ patient: postpartum, symptoms: ['soaking a pad an hour', 'fainted'] });
    expect(response.triage.level).toBe('emergency_ambulance');
  });

  it('keeps a new pregnancy after an ectopic at a 24-hour early scan, and raises it with one-sided pain', async () => {
    const well = await answer({
      patient: { age: 33, pregnancy_status: 'pregnant', gestational_weeks: 5 },
      symptoms: ['positive pregnancy test', 'feel fine'],
      medical_history: ['ectopic pregnancy two years ago'],
    });
    expect(well.differential[0]?.icd10).toBe('O09.11');
    expect(well.triage.level).toBe('consultation_24');
    const pain = await answer({
      patient: { age: 33, pregnancy_status: 'pregnant', gestational_weeks: 5 },
      symptoms: ['positive pregnancy test', 'sharp pain on the left side low down'],
      medical_history: ['ectopic pregnancy two years ago'],
    });
    expect(pain.differential[0]?.icd10).toBe('O00.90');
    expect(urgencyRank(pain.triage.level)).toBeGreaterThanOrEqual(urgencyRank('emergency'));
  });
});
