// Scenarios 3–6: the real service, built with buildApp and listening, as src/server.ts does (logs to stdout, which
// the harness sends to a file). BENCH_APP_DIST=1 loads the compiled dist/ (what `npm run start:prod` runs).
import { announce } from '../lib/child.ts';

type AppModule = typeof import('../../src/app.ts');
type ConfigModule = typeof import('../../src/config/config.ts');

const fromDist = process.env.BENCH_APP_DIST === '1';
const { buildApp } = (await import(fromDist ? '../../dist/app.js' : '../../src/app.ts')) as AppModule;
const { loadConfig } = (await import(
  fromDist ? '../../dist/config/config.js' : '../../src/config/config.ts'
)) as ConfigModule;

const config = loadConfig(process.env);
const app = await buildApp({ config });
const url = await app.listen({ host: '127.0.0.1', port: 0 });

// A clean exit, so --cpu-prof writes its profile.
process.on('SIGTERM', () => {
  void app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
announce(url);
