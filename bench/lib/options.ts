// The harness's flags (documented at the top of bench/run.ts) and the plan they select.
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    only: { type: 'string' },
    src: { type: 'boolean', default: false },
    dist: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    'app-node-flags': { type: 'string' },
    'gateway-rate': { type: 'string' },
    'gateway-duration': { type: 'string' },
  },
});
export const { smoke, profile, strict } = flags;
export const only = flags.only?.split(',');
export const fromDist = flags.dist || (!smoke && !flags.src);
/** The heap cap the Docker image sets in NODE_OPTIONS, so the app is measured as it is deployed. */
const IMAGE_NODE_FLAGS = ['--max-old-space-size=256'];
/** Node flags for the app servers (space-separated); default: the image's. */
export const appNodeFlags = flags['app-node-flags']?.split(' ').filter(Boolean) ?? IMAGE_NODE_FLAGS;

export const PLAN = smoke
  ? {
      warmupS: 1,
      rounds: 1,
      durationS: 2,
      connections: 20,
      fixedConnections: 10,
      fixedS: 2,
      gatewayRate: 50,
      gatewayS: 3,
    }
  : {
      warmupS: 5,
      rounds: 3,
      durationS: 10,
      connections: 100,
      fixedConnections: 20,
      fixedS: 10,
      gatewayRate: 500,
      gatewayS: 30,
    };
const numberFlag = (name: 'rounds' | 'duration' | 'connections' | 'gateway-rate' | 'gateway-duration') => {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} expects a positive number, got "${raw}"`);
  return value;
};
PLAN.rounds = numberFlag('rounds') ?? PLAN.rounds;
PLAN.durationS = numberFlag('duration') ?? PLAN.durationS;
PLAN.fixedS = numberFlag('duration') ?? PLAN.fixedS;
PLAN.connections = numberFlag('connections') ?? PLAN.connections;
PLAN.gatewayRate = numberFlag('gateway-rate') ?? PLAN.gatewayRate;
PLAN.gatewayS = numberFlag('gateway-duration') ?? PLAN.gatewayS;
