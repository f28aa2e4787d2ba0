/** Who is calling, as authentication established it. */
export interface Principal {
  /** The credential (an API key's name) or the JWT's `sub`: the key for rate limits and budgets. */
  readonly id: string;
  readonly kind: 'api-key' | 'jwt';
  /** The service named (X-Service-Name, among the key's services) or the key's own; a label, never a bucket. */
  readonly service: string | null;
}
