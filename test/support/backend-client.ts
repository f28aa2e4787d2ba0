/**
 * A replica of what the existing NestJS back end ("tenderly-backend") sends to the diagnosis service
 * and how it reads the answers (docs/legacy-api.md): the same headers, the same JWT (HS256, its
 * default secret and claims), the same bodies serialised the way axios does, the same retry rules,
 * and the same decisions on the answer. Tests replay it against the app in-process.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { nowSeconds, signJwt } from './jwt.ts';
import { injectPastShedding } from './shed-retry.ts';

export const BACKEND_JWT_SECRET = 'shared-jwt-secret-key-for-ai-agent';
export const BACKEND_SERVICE_NAME = 'tenderly-backend';
/** A 44-character key, like the back end's AI_DIAGNOSIS_API_KEY placeholder. */
export const BACKEND_API_KEY = 'tndr_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a';

/** The environment this service needs to accept the back end unchanged (legacy variable names). */
export const BACKEND_ENV: Record<string, string | undefined> = {
  API_KEY: BACKEND_API_KEY,
  ALLOWED_SERVICES: BACKEND_SERVICE_NAME,
  JWT_SECRET_KEY: BACKEND_JWT_SECRET,
  JWT_AUDIENCE: 'ai-diagnosis-service',
  JWT_ISSUER: 'tenderly-backend',
  API_KEYS: undefined,
  JWT_SECRET: undefined,
};

export interface BackendClaims {
  sub: string;
  username: string;
  iat: number;
  exp: number;
  aud: string;
  iss: string;
  service: boolean;
}

/** The back end's AITokenService.generateToken(): default lifetime 3600 s. */
export function backendClaims(now = nowSeconds(), lifetimeSeconds = 3600): BackendClaims {
  return {
    sub: 'tenderly-backend-service',
    username: 'backend-service',
    exp: now + lifetimeSeconds,
    iat: now,
    aud: 'ai-diagnosis-service',
    iss: 'tenderly-backend',
    service: true,
  };
}

export function backendToken(options: { secret?: string; claims?: Partial<BackendClaims> } = {}): string {
  return signJwt({ ...backendClaims(), ...options.claims }, options.secret ?? BACKEND_JWT_SECRET);
}

/** What axios adds on its own to a JSON POST. */
const AXIOS_DEFAULTS = {
  accept: 'application/json, text/plain, */*',
  'user-agent': 'axios/1.7.2',
  'accept-encoding': 'gzip, compress, deflate, br',
};

export interface CallAHeaderOptions {
  patientId: string;
  /** `Date.now()` when the back end built the session id. */
  ms: number;
  attempt: number;
  token?: string;
  apiKey?: string;
  serviceName?: string;
}

/** Call A headers: makeAIRequest() with sessionId `ai_agent_<patientId>_<ms>`. */
export function callAHeaders(o: CallAHeaderOptions): Record<string, string> {
  const sessionId = `ai_agent_${o.patientId}_${o.ms}`;
  return {
    ...AXIOS_DEFAULTS,
    authorization: `Bearer ${o.token ?? backendToken()}`,
    'content-type': 'application/json',
    'x-service-name': o.serviceName ?? BACKEND_SERVICE_NAME,
    'x-request-id': `${sessionId}_${o.attempt}`,
    'x-session-id': sessionId,
    'x-patient-id': o.patientId,
    'x-api-key': o.apiKey ?? BACKEND_API_KEY,
  };
}

/** Call B headers: JWT, key and service name (no patient or session headers). */
export function callBHeaders(o: { token?: string; apiKey?: string } = {}): Record<string, string> {
  return {
    ...AXIOS_DEFAULTS,
    authorization: `Bearer ${o.token ?? backendToken()}`,
    'content-type': 'application/json',
    'x-service-name': BACKEND_SERVICE_NAME,
    'x-api-key': o.apiKey ?? BACKEND_API_KEY,
  };
}

/** The health probe: key and service name only, 5 s timeout, status code read. */
export function healthHeaders(): Record<string, string> {
  return { ...AXIOS_DEFAULTS, 'x-api-key': BACKEND_API_KEY, 'x-service-name': BACKEND_SERVICE_NAME };
}

/** Call A body exactly as in the contract. */
export const CONTRACT_CALL_A = {
  diagnosis_request: {
    symptoms: ['pelvic pain', 'irregular periods'],
    patient_age: 28,
    severity_level: 'moderate',
    duration: '2 weeks',
    medical_history: [],
    additional_notes: '',
  },
};

/** Call B body with the eight sections, as the back end's integration script sends it. */
export function contractCallB(requestId = 'test_integration_001') {
  return {
    structured_request: {
      patient_profile: { age: 28, request_id: requestId, timestamp: '2026-11-25T10:00:00.000Z' },
      primary_complaint: {
        main_symptom: 'Irregular menstrual bleeding',
        duration: '3 weeks',
        severity: 'moderate',
        onset: 'gradual',
        progression: 'worsening',
      },
      symptom_specific_details: {
        symptom_characteristics: {
          bleeding_pattern: 'irregular',
          flow_intensity: 'heavy',
          color: 'bright red',
          clots: true,
          pain_associated: true,
        },
      },
      reproductive_history: {
        pregnancy_status: { could_be_pregnant: false, pregnancy_test_result: 'negative' },
        sexual_activity: { sexually_active: true, contraception_method: 'condoms' },
        menstrual_history: { menarche_age: 13, cycle_frequency: 28, period_duration: 5 },
      },
      associated_symptoms: {
        pain: { pelvic_pain: 'intermittent', vulvar_irritation: 'none' },
        systemic: { fatigue: 'moderate', nausea: false, fever: false },
      },
      medical_context: {
        current_medications: [],
        recent_medications: [],
        medical_conditions: [],
        previous_gynecological_issues: ['PCOS'],
        allergies: [],
        family_history: ['diabetes', 'hypertension'],
      },
      healthcare_interaction: {
        previous_consultation: false,
        consultation_outcome: 'none',
        investigations_done: false,
        current_treatment: 'none',
      },
      patient_concerns: {
        main_worry: 'Fertility issues due to irregular periods',
        impact_on_life: 'moderate',
        additional_notes: 'Concerned about ability to conceive',
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The back end's reading of the answers

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type ConsultationType = 'chat' | 'video' | 'emergency';

interface CallAAnswer {
  diagnosis?: unknown;
  confidence_score?: unknown;
  suggested_investigations?: unknown;
  recommended_medications?: unknown;
}

/** validateAIResponse(): throws where the back end would discard the answer and use its canned fallback. */
export function backendAcceptsCallA(body: CallAAnswer): void {
  if (typeof body.diagnosis !== 'string' || body.diagnosis.trim() === '')
    throw new Error('AI agent returned empty diagnosis');
  const score = body.confidence_score;
  if (typeof score !== 'number' || score < 0 || score > 1)
    throw new Error('AI agent returned invalid confidence score');
  if (!Array.isArray(body.suggested_investigations))
    throw new Error('AI agent returned invalid suggested investigations');
  if (!Array.isArray(body.recommended_medications))
    throw new Error('AI agent returned invalid recommended medications');
}

/** mapConfidenceToSeverity(). */
export function severityFromConfidence(score: number): Severity {
  if (score >= 0.9) return 'high';
  if (score >= 0.7) return 'medium';
  if (score >= 0.5) return 'low';
  return 'critical';
}

/** determineConsultationType(): critical → emergency; high severity or any high-priority investigation → video. */
export function consultationType(
  severity: Severity,
  investigations: ReadonlyArray<{ priority: string }>,
): ConsultationType {
  if (severity === 'critical') return 'emergency';
  if (severity === 'high' || investigations.some((i) => i.priority === 'high')) return 'video';
  return 'chat';
}

export interface CallADecision {
  severity: Severity;
  consultationType: ConsultationType;
  recommendedTests: string[];
}

/** formatAIResponse(): what the back end does with a call A answer. */
export function decideCallA(body: {
  confidence_score: number;
  suggested_investigations: ReadonlyArray<{ name: string; priority: string }>;
}): CallADecision {
  const severity = severityFromConfidence(body.confidence_score);
  return {
    severity,
    consultationType: consultationType(severity, body.suggested_investigations),
    recommendedTests: body.suggested_investigations.map((i) => i.name),
  };
}

export type PriceBand = 'urgent' | 'high' | 'moderate' | 'low' | 'default';

/** getConsultationPricingFromUrgency(): the price band (and amount, INR) call B's urgency_level selects. */
export function priceForUrgency(urgency: string | undefined): {
  band: PriceBand;
  amount: number;
  currency: 'INR';
} {
  switch (urgency ?? 'moderate') {
    case 'urgent':
      return { band: 'urgent', amount: 999, currency: 'INR' };
    case 'high':
      return { band: 'high', amount: 599, currency: 'INR' };
    case 'moderate':
      return { band: 'moderate', amount: 399, currency: 'INR' };
    case 'low':
      return { band: 'low', amount: 299, currency: 'INR' };
    default:
      return { band: 'default', amount: 399, currency: 'INR' };
  }
}

export interface CallBDecision {
  primaryDiagnosis: string;
  confidence: number;
  urgency: string;
  price: ReturnType<typeof priceForUrgency>;
  /** The back end's own consultation choice for call B: urgent → emergency, high → video, else chat. */
  consultationType: ConsultationType;
  recommendedTests: string[];
}

/** transformDetailedAIResponse() plus the pricing step. `confidence_score || 0.5`: a 0 would silently become 0.5. */
export function decideCallB(body: {
  request_id?: unknown;
  possible_diagnoses?: ReadonlyArray<{ name: string }>;
  confidence_score?: number;
  risk_assessment?: { urgency_level?: string };
  recommended_investigations?: ReadonlyArray<{ name: string }>;
}): CallBDecision {
  if (typeof body.request_id !== 'string' || !body.request_id) throw new Error('missing request_id');
  const urgency = body.risk_assessment?.urgency_level ?? 'routine';
  return {
    primaryDiagnosis: body.possible_diagnoses?.[0]?.name ?? 'Assessment completed',
    confidence: body.confidence_score || 0.5,
    urgency,
    price: priceForUrgency(body.risk_assessment?.urgency_level),
    consultationType: urgency === 'urgent' ? 'emergency' : urgency === 'high' ? 'video' : 'chat',
    recommendedTests: body.recommended_investigations?.map((i) => i.name) ?? [],
  };
}

// ---------------------------------------------------------------------------------------------
// The calls, with the back end's retry rules

export interface BackendClientOptions {
  /** Pause after a failed attempt (the back end waits 1 s, then 2 s). */
  pauseMs?: (attempt: number) => number;
  maxRetries?: number;
  now?: () => number;
}

export interface Attempt {
  headers: Record<string, string>;
  response: LightMyRequestResponse;
}

/**
 * makeAIRequest(): up to 3 attempts; 401 → new token and retry; 429 and 5xx → retry; other 4xx → stop.
 * Bodies are sent as axios sends them: JSON.stringify of the payload, byte for byte.
 */
export class BackendClient {
  readonly attempts: Attempt[] = [];
  private readonly app: FastifyInstance;
  private readonly options: Required<BackendClientOptions>;

  constructor(app: FastifyInstance, options: BackendClientOptions = {}) {
    this.app = app;
    this.options = {
      pauseMs: options.pauseMs ?? ((attempt) => Math.min(1000 * 2 ** (attempt - 1), 5000)),
      maxRetries: options.maxRetries ?? 3,
      now: options.now ?? Date.now,
    };
  }

  async diagnose(
    body: unknown,
    patientId: string,
    overrides: Partial<CallAHeaderOptions> = {},
  ): Promise<LightMyRequestResponse> {
    const ms = this.options.now();
    return this.withRetries(
      (attempt) => callAHeaders({ patientId, ms, attempt, ...overrides }),
      '/api/v1/diagnosis/',
      body,
    );
  }

  async structure(
    body: unknown,
    overrides: { token?: string; apiKey?: string } = {},
  ): Promise<LightMyRequestResponse> {
    return this.withRetries(() => callBHeaders(overrides), '/api/v1/diagnosis/structure', body);
  }

  async health(): Promise<LightMyRequestResponse> {
    return injectPastShedding(this.app, { method: 'GET', url: '/api/v1/health/', headers: healthHeaders() });
  }

  private async withRetries(
    headersFor: (attempt: number) => Record<string, string>,
    url: string,
    body: unknown,
  ): Promise<LightMyRequestResponse> {
    const payload = JSON.stringify(body);
    let last: LightMyRequestResponse | undefined;
    for (let attempt = 1; attempt <= this.options.maxRetries; attempt++) {
      const headers = headersFor(attempt);
      // In-process, bursts of injected requests can trip load shedding (503 "overloaded"); that is a
      // property of the test harness, not of the back end's call, so it is sent again (shed-retry.ts).
      const response = await injectPastShedding(this.app, { method: 'POST', url, headers, payload });
      this.attempts.push({ headers, response });
      last = response;
      if (response.statusCode === 200) return response;
      const s = response.statusCode;
      if (s >= 400 && s < 500 && s !== 401 && s !== 429) return response;
      const pause = this.options.pauseMs(attempt);
      if (attempt < this.options.maxRetries && pause > 0) await new Promise((r) => setTimeout(r, pause));
    }
    return last as LightMyRequestResponse;
  }
}
