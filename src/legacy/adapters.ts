/**
 * Legacy ⇄ canonical. The legacy routes are thin: a legacy body becomes a canonical DiagnoseRequest,
 * the one pipeline answers it (red-flag rules, provider, output validation), and the canonical answer
 * is re-expressed in the legacy fields, with the triage carried by confidence_score / urgency_level
 * (see triage-mapping.ts) and medicines screened against allergies and pregnancy (src/domain/medications).
 */
export * from './call-a.ts';
export * from './call-b.ts';
