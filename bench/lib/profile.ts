import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotSpot {
  selfPercent: number;
  fn: string;
  where: string;
}

/** The functions with the most self time (percent of busy time) in a V8 .cpuprofile (what --cpu-prof writes). */
export function hotSpots(file: string, top = 25): HotSpot[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byKey = new Map<string, { hits: number; fn: string; where: string }>();
  let total = 0;
  for (const node of profile.nodes) {
    // Percentages are of busy time: idle samples say nothing about what the service costs.
    if (node.callFrame.functionName === '(idle)') continue;
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url
      ? `${url.replace(/^file:\/\/.*?\/(node_modules|src|bench|test)\//, '$1/')}:${lineNumber + 1}`
      : '';
    const fn = functionName || '(anonymous)';
    const key = `${fn} ${where}`;
    const entry = byKey.get(key) ?? { hits: 0, fn, where };
    entry.hits += hits;
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, top)
    .map((e) => ({ selfPercent: (100 * e.hits) / Math.max(1, total), fn: e.fn, where: e.where }));
}

/** Self time grouped by package (node_modules/<pkg>), src/ directory, or V8/Node internals. */
export function byArea(file: string): Array<{ area: string; selfPercent: number }> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const areas = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    if (node.callFrame.functionName === '(idle)') continue;
    const hits = node.hitCount ?? 0;
    total += hits;
    const url = node.callFrame.url;
    let area: string;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) area = pkg[1] as string;
    else if (/\/src\//.test(url))
      area = `src/${url.split('/src/')[1]?.split('/').slice(0, -1).join('/') ?? ''}`;
    else if (url.startsWith('node:')) area = 'node internals';
    else if (!url) area = `(${node.callFrame.functionName || 'native'})`;
    else area = url;
    areas.set(area, (areas.get(area) ?? 0) + hits);
  }
  return [...areas.entries()]
    .map(([area, hits]) => ({ area, selfPercent: (100 * hits) / Math.max(1, total) }))
    .sort((a, b) => b.selfPercent - a.selfPercent);
}
