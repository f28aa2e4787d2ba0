/** Who is calling, as authentication established it. */
export interface Principal {
  /** Service name for API keys, `sub` for JWTs: the key for rate limits and budgets. */
  readonly id: string;
  readonly kind: 'api-key' | 'jwt';
  /** The service name when known; the only principal detail safe to use as a metric label. */
  readonly service: string | null;
}
