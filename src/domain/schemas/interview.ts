import { z } from 'zod';
import { isKnownFinding } from '../interview/findings-catalog.ts';

export const EvidenceChoice = z.enum(['present', 'absent', 'unknown']);

export const EvidenceItem = z.strictObject({
  id: z.string().max(64).describe('A finding id from GET /v1/findings'),
  choice: EvidenceChoice.describe('"unknown" records that the question was asked; it adds no information'),
});

/** The answers given so far; the client resends all of them every turn (nothing is stored). */
export const Evidence = z
  .array(EvidenceItem)
  .max(100)
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (!isKnownFinding(item.id))
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `unknown finding id "${item.id}"` });
      else if (seen.has(item.id))
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `finding "${item.id}" is answered twice` });
      seen.add(item.id);
    });
  })
  .describe(
    'Answers to earlier interview questions. An explicit answer wins over what the free text suggested.',
  );
export type Evidence = z.infer<typeof Evidence>;

export const InterviewQuestion = z.object({
  id: z.string().describe('The finding id to answer with'),
  question: z.string(),
  label: z.string(),
  reason: z
    .enum(['red_flag', 'information_gain'])
    .describe(
      'red_flag: a "yes" could raise the triage level; information_gain: it best separates the likely conditions',
    ),
});

export const StopReason = z.enum(['emergency', 'confident', 'no_informative_question', 'question_limit']);

export const Interview = z
  .object({
    questions: z.array(InterviewQuestion).max(3).describe('The next questions, most important first'),
    should_stop: z.boolean(),
    stop_reason: StopReason.nullable(),
    explanation: z.string().describe('Why the interview stopped, or why these questions were chosen'),
    questions_answered: z.number().int().min(0),
    question_limit: z.number().int().min(0),
  })
  .meta({ id: 'Interview' });
export type Interview = z.infer<typeof Interview>;

export const FindingListing = z
  .object({
    id: z.string(),
    label: z.string(),
    question: z.string().describe('A plain-language question a patient can answer with yes, no or not sure'),
    applies_when: z
      .array(z.string())
      .describe('Asked only when one of these holds for the patient (empty: always applicable)'),
  })
  .meta({ id: 'Finding' });

export const FindingsResponse = z.object({ findings: z.array(FindingListing) });
