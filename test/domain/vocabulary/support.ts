import { DiagnoseRequest, type DiagnoseRequestInput } from '../../../src/domain/schemas/diagnose.ts';

/** A validated request with defaults applied, as the pipeline sees it. */
export function request(input: Partial<DiagnoseRequestInput> & { symptoms: string[] }): DiagnoseRequest {
  return DiagnoseRequest.parse({ patient: { age: 30 }, ...input });
}
