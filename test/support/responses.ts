import {
  DISCLAIMER,
  type DiagnoseResponse,
  type DifferentialItem,
} from '../../src/domain/schemas/diagnose.ts';

/** A canonical answer for tests that map or render one; the parts a test cares about are passed in. */
export function diagnoseResponse(
  over: Partial<DiagnoseResponse> & { differential: DifferentialItem[] },
): DiagnoseResponse {
  return {
    id: '3f0e3f53-6d7e-4b8e-8c1a-6f0b8f1f2a10',
    created_at: '2026-11-28T10:00:00.000Z',
    triage: { level: 'consultation', red_flags: [], rationale: 'Because.' },
    recommended_investigations: [],
    advice: [],
    unrecognized: [],
    coverage: 1,
    engine: { provider: 'knowledge-base', model: null, fallback: false },
    disclaimer: DISCLAIMER,
    interview: {
      questions: [],
      should_stop: true,
      stop_reason: 'confident',
      explanation: 'Confident enough to stop.',
      questions_answered: 0,
      question_limit: 5,
    },
    ...over,
  };
}
