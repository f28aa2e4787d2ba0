/** A client's X-Request-ID is kept when it is 1–128 of [A-Za-z0-9._:-] (docs/api.md); anything else is replaced. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function clientRequestId(header: string | string[] | undefined): string | null {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : null;
}
