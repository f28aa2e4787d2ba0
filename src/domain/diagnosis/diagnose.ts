import { randomUUID } from 'node:crypto';
import { ProviderError, type DiagnosisProvider, type ProviderResult } from '../providers/types.ts';
import { evaluateRedFlags, type RedFlagEvaluation } from '../red-flags/evaluate.ts';
import { DISCLAIMER, type DiagnoseRequest, type DiagnoseResponse } from '../schemas/diagnose.ts';
import { DEFAULT_INTERVIEW_OPTIONS, planInterview, type InterviewOptions } from '../interview/select.ts';
import { findingsFor } from '../vocabulary/findings.ts';
import { applySafetyLayer } from './merge.ts';
import { fitDiagnoseResponse } from './response-size.ts';

/** Rounded down, so a coverage just short of 1 never reads as complete. */
const round2 = (x: number) => Math.floor(x * 100) / 100;

export interface DiagnosisOutcome {
  response: DiagnoseResponse;
  result: ProviderResult;
  redFlags: RedFlagEvaluation;
  /** Why the fallback answered, when it did. */
  fallbackReason: ProviderError['kind'] | null;
}

export interface DiagnosisServiceOptions {
  primary: DiagnosisProvider;
  /** Answers when the primary fails; null means the failure reaches the client. */
  fallback: DiagnosisProvider | null;
  /** Interview question limits; the defaults when absent. */
  interview?: InterviewOptions;
}

/** The pipeline after validation: red-flag rules, provider (with fallback), safety merge. */
export class DiagnosisService {
  readonly primary: DiagnosisProvider;
  readonly fallback: DiagnosisProvider | null;
  readonly interview: InterviewOptions;

  constructor(options: DiagnosisServiceOptions) {
    this.primary = options.primary;
    this.fallback = options.fallback;
    this.interview = options.interview ?? DEFAULT_INTERVIEW_OPTIONS;
  }

  isUsable(): boolean {
    return this.primary.isUsable() || (this.fallback?.isUsable() ?? false);
  }

  async diagnose(request: DiagnoseRequest, signal?: AbortSignal): Promise<DiagnosisOutcome> {
    let result: ProviderResult;
    let fallbackReason: DiagnosisOutcome['fallbackReason'] = null;
    try {
      result = await this.primary.diagnose(request, signal);
    } catch (error) {
      if (!(error instanceof ProviderError) || !this.fallback || signal?.aborted) throw error;
      fallbackReason = error.kind;
      result = await this.fallback.diagnose(request, signal);
    }
    // After the provider, not before: the rules' findings (~1.2 kB) are not held through a model call's seconds.
    const redFlags = evaluateRedFlags(request);
    const safe = applySafetyLayer(result.assessment, redFlags);
    const { understanding } = findingsFor(request);
    const response: DiagnoseResponse = fitDiagnoseResponse({
      id: randomUUID(),
      created_at: new Date().toISOString(),
      triage: {
        level: safe.triageLevel,
        red_flags: redFlags.fired.map((r) => ({ id: r.id, description: r.description, level: r.level })),
        rationale: safe.triageRationale,
      },
      differential: safe.differential,
      recommended_investigations: safe.investigations,
      advice: safe.advice,
      // Computed from the patient's text by the vocabulary, whichever provider answered.
      unrecognized: [...understanding.unrecognized],
      coverage: round2(understanding.coverage),
      engine: { provider: result.provider, model: result.model, fallback: fallbackReason !== null },
      disclaimer: DISCLAIMER,
      // Questions come from the knowledge base whichever provider answered, so they are deterministic.
      interview: planInterview(request, findingsFor(request), safe.triageLevel, this.interview),
    });
    return { response, result, redFlags, fallbackReason };
  }
}
