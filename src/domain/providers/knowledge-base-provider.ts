import { diagnoseFromFindings } from '../knowledge-base/score.ts';
import type { DiagnoseRequest } from '../schemas/diagnose.ts';
import { findingsFor } from '../vocabulary/findings.ts';
import type { DiagnosisProvider, ProviderResult } from './types.ts';

/**
 * The deterministic, offline provider: scores the knowledge base against the findings in the
 * request. No network, no cost; it is also the fallback when the model is unavailable.
 */
export class KnowledgeBaseProvider implements DiagnosisProvider {
  readonly name = 'knowledge-base' as const;
  readonly model = null;

  isUsable(): boolean {
    return true;
  }

  async diagnose(request: DiagnoseRequest, _signal?: AbortSignal): Promise<ProviderResult> {
    const answer = diagnoseFromFindings(findingsFor(request));
    return {
      assessment: {
        triageLevel: answer.triageLevel,
        triageRationale: answer.triageRationale,
        differential: answer.differential,
        investigations: answer.investigations,
        advice: answer.advice,
      },
      provider: this.name,
      model: null,
      usage: null,
    };
  }
}
