import type { UpstreamTelemetry } from './providers/openai/openai-provider.ts';

export type { UpstreamTelemetry };

export const NOOP_UPSTREAM_TELEMETRY: UpstreamTelemetry = {
  attempt: () => {},
  tokens: () => {},
  throttled: () => {},
  inFlight: () => {},
};
