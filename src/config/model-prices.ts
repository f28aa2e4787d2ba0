import { z } from 'zod';

/** USD per million tokens. */
export type ModelPrices = Record<string, { prompt: number; completion: number }>;

// Published list prices (USD per 1M tokens) used to estimate spend; override with MODEL_PRICES.
export const DEFAULT_MODEL_PRICES: ModelPrices = {
  'gpt-4o-mini': { prompt: 0.15, completion: 0.6 },
  'gpt-4o': { prompt: 2.5, completion: 10 },
  'gpt-4.1-mini': { prompt: 0.4, completion: 1.6 },
  'gpt-4.1': { prompt: 2, completion: 8 },
};

const PriceTable = z.record(
  z.string(),
  z.object({ prompt: z.number().min(0), completion: z.number().min(0) }),
);

/** MODEL_PRICES is JSON: {"model": {"prompt": 0.15, "completion": 0.6}} merged over the defaults. */
export function parseModelPrices(raw: string | undefined): ModelPrices {
  if (!raw) return { ...DEFAULT_MODEL_PRICES };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(
      'expected JSON like {"gpt-4o-mini":{"prompt":0.15,"completion":0.6}} (USD per 1M tokens)',
    );
  }
  const parsed = PriceTable.safeParse(json);
  if (!parsed.success)
    throw new Error('expected {"model":{"prompt":number,"completion":number}} (USD per 1M tokens)');
  return { ...DEFAULT_MODEL_PRICES, ...parsed.data };
}

export function estimateCostUsd(
  prices: ModelPrices,
  model: string,
  promptTokens: number,
  completionTokens: number,
): number {
  const price = prices[model];
  if (!price) return 0;
  return (promptTokens * price.prompt + completionTokens * price.completion) / 1_000_000;
}
