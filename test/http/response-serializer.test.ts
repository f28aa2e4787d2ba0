import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVignettes } from '../../eval/vignettes.ts';
import { DiagnosisService } from '../../src/domain/diagnosis/diagnose.ts';
import { KnowledgeBaseProvider } from '../../src/domain/providers/knowledge-base-provider.ts';
import { DiagnoseRequest, DiagnoseResponse } from '../../src/domain/schemas/diagnose.ts';
import {
  builtByService,
  compileSerializer,
  responseSerializerCompiler,
} from '../../src/http/response-serializer.ts';
import { FHIR_MEDIA_TYPE } from '../../src/http/negotiate.ts';
import { diagnoseResponse } from '../support/responses.ts';
import { SAMPLE_REQUEST, startTestApp, TEST_KEYS, type TestApp } from '../support/app.ts';

const serialize = compileSerializer(DiagnoseResponse);
/** What the zod serializer sent before: the schema-validated answer, stringified. */
const viaZod = (answer: unknown) => JSON.stringify(DiagnoseResponse.parse(answer));

/** Real pipeline answers: every evaluation vignette, then a turn answering its questions yes and one no. */
async function pipelineAnswers(): Promise<DiagnoseResponse[]> {
  const service = new DiagnosisService({ primary: new KnowledgeBaseProvider(), fallback: null });
  const answers: DiagnoseResponse[] = [];
  for (const { request } of loadVignettes()) {
    const first = (await service.diagnose(DiagnoseRequest.parse(request))).response;
    answers.push(first);
    for (const choice of ['present', 'absent'] as const) {
      const evidence = first.interview.questions.map((q) => ({ id: q.id, choice }));
      const next = DiagnoseRequest.parse({ ...request, evidence });
      answers.push((await service.diagnose(next)).response);
    }
  }
  return answers;
}

const item = {
  condition: 'Vulvovaginal candidiasis',
  icd10: 'B37.3',
  probability: 0.61,
  rationale: 'Supported by itch.',
  supporting_findings: ['itch'],
  recommended_investigations: [],
};

describe('compiled response serializer', () => {
  it('writes every real pipeline answer byte for byte as zod parse + JSON.stringify did', async () => {
    const answers = await pipelineAnswers();
    expect(answers.length).toBeGreaterThan(300);
    // The set covers what the schema allows: red flags, stop reasons (null too), questions, unrecognised text.
    expect(answers.some((a) => a.triage.red_flags.length > 0)).toBe(true);
    expect(answers.some((a) => a.interview.stop_reason === null)).toBe(true);
    expect(answers.some((a) => a.interview.stop_reason !== null)).toBe(true);
    expect(answers.some((a) => a.unrecognized.length > 0)).toBe(true);
    for (const answer of answers) {
      const written = serialize(answer);
      expect(written).toBe(viaZod(answer));
      expect(JSON.parse(written)).toEqual(DiagnoseResponse.parse(answer));
    }
  });

  it('escapes unicode, quotes, control characters and lone surrogates exactly as JSON.stringify', () => {
    const texts = [
      "Ünïcödé — “quotes” and 'apostrophes' 妊娠 🤰🏽 e\u0301",
      'quote " backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007 del \u007f',
      'line separators \u2028 \u2029 and a lone surrogate \ud800 then \udfff',
      'long '.repeat(200),
      '',
    ];
    for (const text of texts) {
      const answer = diagnoseResponse({
        differential: [{ ...item, rationale: text, supporting_findings: [text] }],
        triage: { level: 'consultation', red_flags: [], rationale: text },
        advice: [text],
        unrecognized: [text],
        engine: { provider: 'openai', model: text, fallback: true },
      });
      expect(serialize(answer)).toBe(viaZod(answer));
    }
  });

  it('writes nulls, empty lists and boundary numbers as zod did', () => {
    const answer = diagnoseResponse({
      differential: [
        { ...item, probability: 1 },
        { ...item, icd10: 'N76.0', probability: 0 },
        { ...item, icd10: 'A59.0', probability: 0.001 },
      ],
      coverage: 0,
      engine: { provider: 'knowledge-base', model: null, fallback: false },
      interview: {
        questions: [
          { id: 'fever', question: 'Do you have a fever?', label: 'fever', reason: 'red_flag' },
          { id: 'itch', question: 'Itchy?', label: 'itch', reason: 'information_gain' },
        ],
        should_stop: false,
        stop_reason: null,
        explanation: '',
        questions_answered: 0,
        question_limit: 0,
      },
    });
    expect(serialize(answer)).toBe(viaZod(answer));
  });

  it('drops keys the schema does not name, at every depth, as zod does', () => {
    const answer = diagnoseResponse({ differential: [item] });
    const polluted = JSON.parse(JSON.stringify(answer)) as Record<string, any>;
    polluted.leak = 'top';
    polluted.triage.leak = 'triage';
    polluted.differential[0].leak = 'item';
    polluted.engine.api_key = 'sk-secret';
    polluted.interview.leak = 'interview';
    polluted.interview.questions.push({
      id: 'fever',
      question: 'Q?',
      label: 'l',
      reason: 'red_flag',
      leak: 'q',
    });
    Object.defineProperty(polluted, '__proto__', { value: { leak: 'proto' }, enumerable: true });
    const written = serialize(polluted);
    expect(written).toBe(viaZod(polluted));
    expect(written).not.toMatch(/leak|api_key|sk-secret|__proto__/);
  });

  it('never writes an answer missing a required field', () => {
    const { disclaimer: _gone, ...incomplete } = diagnoseResponse({ differential: [item] });
    expect(() => serialize(incomplete)).toThrow(/disclaimer/);
    expect(() => viaZod(incomplete)).toThrow();
  });

  it('is used only for schemas marked as built by the service; with verify, zod checks the answer first', () => {
    const route = (schema: typeof DiagnoseResponse) => ({ schema, method: 'POST', url: '/v1/diagnose' });
    const marked = builtByService(DiagnoseResponse);
    const unmarked = DiagnoseResponse.extend({});
    // Out of schema (the differential needs an item): only the unchecked compiled serializer writes it.
    const outOfSchema = diagnoseResponse({ differential: [] });
    expect(responseSerializerCompiler({ verify: false })(route(marked))(outOfSchema)).toBe(
      serialize(outOfSchema),
    );
    expect(() => responseSerializerCompiler({ verify: true })(route(marked))(outOfSchema)).toThrow();
    expect(() => responseSerializerCompiler({ verify: false })(route(unmarked))(outOfSchema)).toThrow();
    const valid = diagnoseResponse({ differential: [item] });
    expect(responseSerializerCompiler({ verify: true })(route(marked))(valid)).toBe(viaZod(valid));
  });
});

describe('POST /v1/diagnose with the compiled serializer', () => {
  let production: TestApp;
  let test: TestApp;
  beforeAll(async () => {
    production = await startTestApp({ NODE_ENV: 'production' });
    test = await startTestApp();
  });
  afterAll(async () => {
    await production.app.close();
    await test.app.close();
  });

  const ask = (t: TestApp, accept = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': TEST_KEYS.alpha, accept },
      payload: SAMPLE_REQUEST,
    });

  it('answers in production with the bytes zod would have written', async () => {
    const response = await ask(production);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toBe(viaZod(response.json()));
  });

  it('answers identically (but for id and time) with the zod check on, outside production', async () => {
    const [a, b] = [(await ask(production)).json(), (await ask(test)).json()];
    expect({ ...b, id: a.id, created_at: a.created_at }).toEqual(a);
  });

  it('still serves the FHIR Bundle through zod, with its own content type', async () => {
    const response = await ask(production, FHIR_MEDIA_TYPE);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(response.json()).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
  });
});
