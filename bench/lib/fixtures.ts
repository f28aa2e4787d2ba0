/** Request bodies the benchmark sends; realistic sizes, no red flags (the common path). */
export const DIAGNOSE_BODY = {
  patient: { age: 31, pregnancy_status: 'not_pregnant', menopausal_status: 'premenopausal' },
  symptoms: ['intense vulval itching', 'thick white cottage cheese discharge'],
  onset: 'gradual',
  severity: 'moderate',
  duration: '4 days',
  medical_history: ['recent course of antibiotics'],
  notes: 'Worse after a course of antibiotics for a chest infection.',
};

/** Call A of the legacy contract, as the NestJS back end sends it (wrapped). */
export const LEGACY_BODY = {
  diagnosis_request: {
    symptoms: ['vulval itching', 'thick white discharge'],
    patient_age: 31,
    severity_level: 'moderate',
    duration: '4 days',
    medical_history: [],
    additional_notes: '',
  },
};

export const BENCH_SERVICE = 'tenderly-backend';
export const BENCH_KEY = 'bench-key-0123456789abcdef0123456789';
