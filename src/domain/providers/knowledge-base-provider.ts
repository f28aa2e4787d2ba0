// TEMPORARY STUB — replaced by the knowledge-base engine (issue 4 helper owns this file).
import { ProviderError, type DiagnosisProvider, type ProviderResult } from './types.ts';

export class KnowledgeBaseProvider implements DiagnosisProvider {
  readonly name = 'knowledge-base' as const;
  readonly model = null;
  isUsable(): boolean {
    return false;
  }
  async diagnose(): Promise<ProviderResult> {
    throw new ProviderError('not_configured', 'The knowledge base is not available yet.');
  }
}
