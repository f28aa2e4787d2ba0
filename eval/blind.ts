import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isEmergency, urgencyRank } from '../src/domain/triage.ts';
import { evaluate, rate, type VignetteResult } from './evaluate.ts';
import { loadVignetteFiles, type Vignette } from './vignettes.ts';

/**
 * Blind vignette sets: written by authors who never read src/ or any earlier vignette, scored once
 * before any change made for them (the first look), then frozen. The registry records each set's
 * checksum (so an edit is caught), its first-look score and the floor it must not drop below.
 */
export const BLIND_DIR = join(import.meta.dirname, 'blind');
const REGISTRY_FILE = join(BLIND_DIR, 'registry.json');

/** What a never-seen set must reach on its first look (issue 11). */
export const BLIND_TARGETS = {
  emergencySensitivity: 1,
  top3: 0.85,
  top1: 0.7,
  benignOverTriage: 0.1,
} as const;

export const BlindMetrics = z.strictObject({
  n: z.number().int(),
  emergencies: z.number().int(),
  benign: z.number().int(),
  top1: z.number(),
  top3: z.number(),
  /** Share of emergency cases triaged `emergency` or above. */
  emergencySensitivity: z.number(),
  /** Share of benign cases triaged above their most urgent acceptable level. */
  benignOverTriage: z.number(),
  /** Share of all cases triaged above their most urgent acceptable level. */
  overTriage: z.number(),
});
export type BlindMetrics = z.infer<typeof BlindMetrics>;

export const BlindSet = z.strictObject({
  id: z.string().regex(/^set-\d+$/),
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  written: z.string(),
  firstLook: BlindMetrics.extend({ engine: z.string(), date: z.string() }),
  floor: BlindMetrics,
});
export type BlindSet = z.infer<typeof BlindSet>;

const Registry = z.strictObject({ sets: z.array(BlindSet) });

export function loadRegistry(): BlindSet[] {
  return Registry.parse(JSON.parse(readFileSync(REGISTRY_FILE, 'utf8'))).sets;
}

export function saveRegistry(sets: readonly BlindSet[]): void {
  writeFileSync(REGISTRY_FILE, `${JSON.stringify({ sets }, null, 2)}\n`);
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function loadBlindSet(set: Pick<BlindSet, 'file'>): Vignette[] {
  return loadVignetteFiles([join(BLIND_DIR, set.file)]);
}

/** Scores a blind set through the full offline pipeline. */
export async function scoreBlindSet(vignettes: readonly Vignette[]): Promise<BlindMetrics> {
  return blindMetrics(vignettes, (await evaluate(vignettes)).results);
}

export function blindMetrics(
  vignettes: readonly Vignette[],
  results: readonly VignetteResult[],
): BlindMetrics {
  const byId = new Map(vignettes.map((v) => [v.id, v]));
  const emergencies = results.filter((r) => r.emergency);
  const benign = results.filter((r) => byId.get(r.id)?.category === 'benign');
  const over = (r: (typeof results)[number]) => urgencyRank(r.triage) > urgencyRank(r.expected[1]);
  return {
    n: results.length,
    emergencies: emergencies.length,
    benign: benign.length,
    top1: rate(results.filter((r) => r.rank === 1).length, results.length),
    top3: rate(results.filter((r) => r.rank !== null && r.rank <= 3).length, results.length),
    emergencySensitivity: rate(emergencies.filter((r) => isEmergency(r.triage)).length, emergencies.length),
    benignOverTriage: rate(benign.filter(over).length, benign.length),
    overTriage: rate(results.filter(over).length, results.length),
  };
}

/** The metrics where `current` is worse than `floor` (over-triage is worse when higher). */
export function belowFloor(current: BlindMetrics, floor: BlindMetrics): string[] {
  const eps = 1e-9;
  const worse: string[] = [];
  for (const key of ['top1', 'top3', 'emergencySensitivity'] as const)
    if (current[key] + eps < floor[key]) worse.push(key);
  for (const key of ['benignOverTriage', 'overTriage'] as const)
    if (current[key] > floor[key] + eps) worse.push(key);
  return worse;
}

/** Whether a never-seen set's first look meets the targets. */
export function meetsBlindTargets(m: BlindMetrics): boolean {
  return (
    m.emergencySensitivity >= BLIND_TARGETS.emergencySensitivity &&
    m.top3 >= BLIND_TARGETS.top3 &&
    m.top1 >= BLIND_TARGETS.top1 &&
    m.benignOverTriage <= BLIND_TARGETS.benignOverTriage
  );
}
