import type { DiagnoseRequest, DifferentialItem, Investigation, ProviderName } from '../schemas/diagnose.ts';
import type { TriageLevel } from '../triage.ts';

/** What a provider concludes, before the red-flag rules are merged in. */
export interface Assessment {
  triageLevel: TriageLevel;
  triageRationale: string;
  differential: DifferentialItem[];
  investigations: Investigation[];
  advice: string[];
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ProviderResult {
  assessment: Assessment;
  provider: ProviderName;
  model: string | null;
  usage: TokenUsage | null;
}

export interface DiagnosisProvider {
  readonly name: ProviderName;
  readonly model: string | null;
  /** Whether the provider is configured to answer, without making a (paid) call. */
  isUsable(): boolean;
  diagnose(request: DiagnoseRequest, signal?: AbortSignal): Promise<ProviderResult>;
}

export type ProviderFailureKind =
  'not_configured' | 'timeout' | 'rate_limited' | 'unavailable' | 'invalid_output' | 'upstream_throttled';

/** An upstream failure, in terms the HTTP layer can map onto a status without leaking upstream text. */
export class ProviderError extends Error {
  readonly kind: ProviderFailureKind;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    kind: ProviderFailureKind,
    message: string,
    options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
