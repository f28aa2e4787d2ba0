import { describe, expect, it } from 'vitest';
import { evaluateRedFlags } from '../../../src/domain/red-flags/evaluate.ts';
import type { DiagnoseRequestInput } from '../../../src/domain/schemas/diagnose.ts';
import { request } from '../vocabulary/support.ts';

/**
 * Rules for non-gynaecological red flags (cauda equina), urinary infection in higher-risk groups,
 * and the guard that keeps long-standing "crippling" period pain out of the sudden-pain rule while
 * a real sudden severe pain still fires it.
 */

type Input = Partial<DiagnoseRequestInput> & { symptoms: string[] };
const fired = (input: Input) => evaluateRedFlags(request(input)).fired.map((r) => r.id);
const floor = (input: Input) => evaluateRedFlags(request(input)).floor;
const woman = (age: number) => ({ age, pregnancy_status: 'not_pregnant' as const });

describe('cauda-equina-signs', () => {
  it.each<Input>([
    { patient: woman(45), symptoms: ['numb between my legs', 'back pain'] },
    { patient: woman(38), symptoms: ['I cannot feel the toilet paper when I wipe'] },
    { patient: woman(52), symptoms: ['bad back pain', 'suddenly unable to pee'] },
    { patient: woman(41), symptoms: ['sciatica down both legs', 'lost control of my bowels'] },
  ])('fires as an emergency: %j', (input) => {
    expect(fired(input)).toContain('cauda-equina-signs');
    expect(floor(input)).toBe('emergency');
  });

  it.each<Input>([
    { patient: woman(45), symptoms: ['lower back pain after gardening'] },
    { patient: woman(33), symptoms: ['back pain', 'burning when I pee'] },
    { patient: woman(60), symptoms: ['sciatica down my left leg'] },
  ])('stays quiet without numbness or bladder or bowel loss: %j', (input) => {
    expect(fired(input)).not.toContain('cauda-equina-signs');
  });
});

describe('uti-higher-risk', () => {
  it('fires for pain passing urine at 65 or over, and in pregnancy', () => {
    expect(fired({ patient: { age: 79 }, symptoms: ['stinging passing water'] })).toContain(
      'uti-higher-risk',
    );
    const pregnant = { age: 28, pregnancy_status: 'pregnant' as const, gestational_weeks: 20 };
    expect(fired({ patient: pregnant, symptoms: ['burning when I wee'] })).toContain('uti-higher-risk');
    expect(floor({ patient: { age: 70 }, symptoms: ['burning when I wee'] })).toBe('consultation_24');
  });

  it('stays quiet for an overactive bladder, frequency in pregnancy, or a young woman', () => {
    expect(
      fired({ patient: { age: 76 }, symptoms: ['sudden urges to pee', 'leak before I reach the toilet'] }),
    ).not.toContain('uti-higher-risk');
    const pregnant = { age: 28, pregnancy_status: 'pregnant' as const, gestational_weeks: 30 };
    expect(fired({ patient: pregnant, symptoms: ['peeing more often'] })).not.toContain('uti-higher-risk');
    expect(fired({ patient: woman(25), symptoms: ['burning when I wee'] })).not.toContain('uti-higher-risk');
  });
});

describe('sudden-severe-pelvic-pain and long-standing pain', () => {
  it('years of crippling period pain is not a sudden emergency', () => {
    const input: Input = {
      patient: woman(29),
      symptoms: ['crippling period pain for years', 'painful sex'],
      onset: 'chronic',
    };
    expect(fired(input)).not.toContain('sudden-severe-pelvic-pain');
  });

  it('still fires on a sudden severe one-sided pain, whatever the wording', () => {
    expect(
      fired({ patient: woman(24), symptoms: ['crippling pain on my right side'], onset: 'sudden' }),
    ).toContain('sudden-severe-pelvic-pain');
    expect(fired({ patient: woman(24), symptoms: ['sudden agonising pain low down on the left'] })).toContain(
      'sudden-severe-pelvic-pain',
    );
  });

  it('fever with left-sided pain in an older woman still raises the pelvic-infection flag', () => {
    const input: Input = {
      patient: { age: 72 },
      symptoms: ['pain low on the left', 'a temperature'],
      vitals: { temperature_c: 38.4 },
    };
    expect(fired(input)).toContain('fever-with-pelvic-pain');
    expect(floor(input)).toBe('emergency');
  });
});

describe('heavy-vaginal-bleeding and a long-standing pattern', () => {
  it('years of heavy days needing a pad an hour are heavy periods, not an emergency', () => {
    const input: Input = {
      patient: { age: 16 },
      symptoms: ['heavy periods, soaking a pad every hour on the worst days'],
      onset: 'chronic',
    };
    expect(fired(input)).not.toContain('heavy-vaginal-bleeding');
  });

  it('still fires on soaking a pad an hour now, and on a chronic pattern with dizziness', () => {
    expect(
      fired({ patient: woman(34), symptoms: ['soaking a pad every hour since this morning'] }),
    ).toContain('heavy-vaginal-bleeding');
    const dizzy: Input = {
      patient: woman(16),
      symptoms: ['heavy periods for years', 'bleeding heavily today and feel dizzy'],
      onset: 'chronic',
    };
    expect(fired(dizzy)).toContain('heavy-vaginal-bleeding');
    expect(floor(dizzy)).toBe('emergency');
  });
});
