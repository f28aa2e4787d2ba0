// Benchmark harness: `npm run bench` (full: warm-up, 3 × 10 s rounds) or `npm run bench -- --smoke` (CI: every
// scenario once, briefly; exits non-zero if anything fails). Servers run in their own processes on loopback; the
// load generator (autocannon) runs here. Flags:
//   --smoke            short run that only checks that every scenario works
//   --profile          run the app servers under --cpu-prof and print their hottest functions
//   --only=s3,s4       run a subset (s1..s6; s2h, the proxy over node:http instead of fetch, runs only in full mode;
//                      s5, the gateway scenario, brings its baseline s5h)
//   --src | --dist     run the app from src/ through tsx, or from dist/ (built first). Full mode defaults to dist.
//   --strict           exit non-zero when a target is missed (full mode)
//   --rounds=N --duration=S --connections=N   override the plan
//   --app-node-flags="…"  node flags for the app servers (default: the image's --max-old-space-size=256)
//   --gateway-rate=N --gateway-duration=S   the gateway scenario's offered rate (req/s) and seconds per round
// Servers run on the harness's own node: `npx -p node@24 npm run bench` measures Node 24, the image's runtime.
// Scenarios are defined in bench/scenarios/; the run's machinery is in bench/lib/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer } from '../test/support/redis-server.ts';
import {
  cleanups,
  failures,
  log,
  measure,
  noteErrors,
  request,
  RESULTS_DIR,
  ROOT,
  useRedisProbe,
  work,
  type Scenario,
  type ScenarioDefinition,
  type ScenarioId,
} from './lib/harness.ts';
import { fromDist, only, PLAN, profile, smoke, strict } from './lib/options.ts';
import { markdown, printProfiles, printRound, writeResults } from './lib/report.ts';
import { spread, fmt } from './lib/stats.ts';
import { ratios as targetRatios } from './lib/targets.ts';
import { s1 } from './scenarios/s1-bare.ts';
import { s2 } from './scenarios/s2-proxy.ts';
import { s2h } from './scenarios/s2h-proxy-http.ts';
import { s3 } from './scenarios/s3-knowledge-base.ts';
import { s4 } from './scenarios/s4-model.ts';
import { runGateway, s5, s5h } from './scenarios/s5-gateway.ts';
import { s6 } from './scenarios/s6-legacy.ts';

/** Started in this order before the peak rounds (s4 first: its answer sets the size of s1's body). */
const PEAK_SCENARIOS: ScenarioDefinition[] = [s4, s2, s2h, s3, s6];

async function main(): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const started = new Date();
  log(
    `Tenderly benchmark (${smoke ? 'smoke' : 'full'}) — Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  log(`app code from ${fromDist ? 'dist/ (compiled)' : 'src/ (tsx)'}; work dir ${work}`);
  if (fromDist) {
    log('building (npm run build)…');
    try {
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    } catch {
      if (!existsSync(join(ROOT, 'dist', 'app.js')))
        throw new Error('npm run build failed and dist/app.js is missing');
      log('  (tsc reported errors but emitted dist/; benchmarking the emitted code)');
    }
  }
  if (profile) rmSync(join(RESULTS_DIR, 'profiles'), { recursive: true, force: true });

  const wanted = (id: ScenarioId) => (only ? only.includes(id) : id !== 's2h' || !smoke);
  const redis = await startRedisServer();
  const redisProbe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  useRedisProbe(redisProbe);
  cleanups.push(async () => redisProbe.disconnect());
  cleanups.push(() => redis.stop());

  const scenarios: Scenario[] = [];
  const add = async (definition: ScenarioDefinition, answerFile: string | null = null): Promise<Scenario> => {
    const { neededBy: _neededBy, startServers, ...spec } = definition;
    const servers = await startServers({ redisUrl: redis.url, answerFile });
    const scenario: Scenario = { ...spec, servers, rounds: [], fixed: [], gateway: [] };
    scenarios.push(scenario);
    return scenario;
  };
  for (const definition of PEAK_SCENARIOS)
    if (wanted(definition.id) || definition.neededBy?.some(wanted)) await add(definition);

  // Preflight: one request each, checked against what the scenario must answer.
  let answerFile: string | null = null;
  for (const scenario of scenarios) {
    const { status, body } = await request(scenario);
    const problem = scenario.check(status, body);
    // Every scenario must work: a missing route or provider is a failure, never a skip.
    if (problem) {
      scenario.failed = `preflight: ${problem}`;
      failures.push(`${scenario.id}: ${scenario.failed}`);
    } else if (!answerFile && (scenario.id === 's4' || scenario.id === 's3')) {
      answerFile = join(work, 'answer.json');
      writeFileSync(answerFile, JSON.stringify(body));
    }
  }
  if (wanted('s1')) {
    const scenario = await add(s1, answerFile);
    const problem = scenario.check((await request(scenario)).status, null);
    if (problem) failures.push(`s1: preflight ${(scenario.failed = problem)}`);
    scenarios.unshift(scenarios.pop() as Scenario);
  }
  const byId = (id: ScenarioId) => scenarios.find((s) => s.id === id);
  const order: ScenarioId[] = ['s1', 's2', 's2h', 's3', 's4', 's6'];
  const active = order.map(byId).filter((s): s is Scenario => !!s && !s.skipped && !s.failed && wanted(s.id));
  for (const s of scenarios) if (s.skipped) log(`  ${s.id} SKIPPED: ${s.skipped}`);
  if (answerFile) log(`diagnose answer size ${statSync(answerFile).size} bytes (s1 returns the same)`);

  // Peak throughput, interleaved: round r of every scenario runs before round r+1 of any, so a noisy neighbour
  // slows all of them alike and the ratios stay meaningful.
  for (let round = 0; round < PLAN.rounds; round++) {
    log(`round ${round + 1}/${PLAN.rounds} (${PLAN.connections} connections, ${PLAN.durationS} s each)`);
    for (const scenario of active) {
      if (round === 0) await measure(scenario, { durationS: PLAN.warmupS, connections: PLAN.connections });
      const r = await measure(scenario, { connections: PLAN.connections });
      scenario.rounds.push(r);
      printRound(scenario, 'peak', r);
      await noteErrors(scenario, r);
    }
  }

  // Added latency at a fixed, moderate rate: half of s2's measured peak, for s2 and s4 alike.
  const fixedS2 = byId('s2');
  const fixedS4 = byId('s4');
  let fixedRate: number | null = null;
  if (fixedS2?.rounds.length && fixedS4?.rounds.length) {
    fixedRate = Math.max(10, Math.round(0.5 * spread(fixedS2.rounds.map((r) => r.requestsPerSecond)).median));
    log(`fixed rate ${fixedRate} req/s (half of s2's median peak), ${PLAN.fixedConnections} connections`);
    for (let round = 0; round < PLAN.rounds; round++) {
      for (const scenario of [fixedS2, fixedS4]) {
        const r = await measure(scenario, {
          durationS: PLAN.fixedS,
          connections: PLAN.fixedConnections,
          overallRate: fixedRate,
        });
        scenario.fixed.push(r);
        printRound(scenario, 'fixed', r);
        await noteErrors(scenario, r);
      }
    }
  }
  for (const scenario of scenarios) await Promise.all(scenario.servers.map((s) => s.stop()));

  // The gateway scenario runs on its own, with nothing else running: the app, then the bare proxy, round by round.
  if (wanted('s5')) {
    const gateway = [await add(s5), await add(s5h)];
    for (const scenario of gateway) {
      const { status, body } = await request(scenario);
      const problem = scenario.check(status, body);
      if (problem) failures.push(`${scenario.id}: preflight ${(scenario.failed = problem)}`);
    }
    if (gateway.every((s) => !s.failed)) await runGateway(gateway[0] as Scenario, gateway[1] as Scenario);
    for (const scenario of gateway) await Promise.all(scenario.servers.map((s) => s.stop()));
  }

  const ratios = targetRatios(byId, fixedRate);
  const { md, table } = markdown(scenarios, ratios, fixedRate);
  log('');
  log(md.join('\n'));
  if (profile) printProfiles();
  writeResults({ started, fixedRate, scenarios, table, ratios, md });

  const missed = ratios
    .filter((r) => r.met === false)
    .map((r) => `target missed: ${r.name} = ${fmt(r.value, 2)} (${r.target})`);
  if (failures.length) {
    console.error(`\nFAILED:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  } else if (strict && missed.length) {
    console.error(`\n${missed.join('\n')}`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await Promise.allSettled(cleanups.reverse().map((c) => c()));
  rmSync(work, { recursive: true, force: true, maxRetries: 5 });
}
