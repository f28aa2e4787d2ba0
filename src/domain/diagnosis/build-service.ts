import type { AppConfig } from '../../config/config.ts';
import { createNodeHttpFetch } from '../../infra/node-http-fetch.ts';
import { OpenAIProvider } from '../providers/openai/openai-provider.ts';
import { KnowledgeBaseProvider } from '../providers/knowledge-base-provider.ts';
import type { DiagnosisProvider } from '../providers/types.ts';
import { UNGOVERNED, type UpstreamGovernor } from '../providers/upstream-governor.ts';
import { NOOP_UPSTREAM_TELEMETRY, type UpstreamTelemetry } from '../telemetry.ts';
import { DEFAULT_INTERVIEW_OPTIONS } from '../interview/select.ts';
import { DiagnosisService } from './diagnose.ts';

/** Wires the configured primary provider and fallback into the diagnosis pipeline. */
export function buildDiagnosisService(
  config: AppConfig,
  telemetry: UpstreamTelemetry = NOOP_UPSTREAM_TELEMETRY,
  governor: UpstreamGovernor = UNGOVERNED,
) {
  const knowledgeBase = new KnowledgeBaseProvider();
  const primary: DiagnosisProvider =
    config.provider.primary === 'openai'
      ? new OpenAIProvider({ ...config.openai, telemetry, governor, fetch: createNodeHttpFetch() })
      : knowledgeBase;
  const fallback =
    config.provider.fallback === 'knowledge-base' && primary !== knowledgeBase ? knowledgeBase : null;
  return new DiagnosisService({
    primary,
    fallback,
    interview: { ...DEFAULT_INTERVIEW_OPTIONS, maxQuestions: config.interviewMaxQuestions },
  });
}
