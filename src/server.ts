import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type AppConfig } from './config/config.ts';

function configOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error('Invalid configuration; the service will not start:');
    for (const line of error.lines) console.error(`  ${line}`);
    process.exit(1);
  }
}

const config = configOrExit();
for (const line of config.warnings)
  console.warn(`Weak credential (refused when NODE_ENV=production): ${line}`);
const app = await buildApp({ config });

if (config.auth.generatedDevKey) {
  // Development convenience: printed once, never logged through pino.
  console.warn(
    `No API_KEYS or JWT_SECRET configured: generated a development API key for this run.\n` +
      `  X-API-Key: ${config.auth.generatedDevKey}\n` +
      `Set API_KEYS (or JWT_SECRET) to use your own; NODE_ENV=production refuses to start without one.`,
  );
}

closeWithGrace({ delay: config.http.shutdownGraceMs }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down: draining in-flight requests');
  await app.close();
});

try {
  await app.listen({ host: config.host, port: config.port });
} catch (error) {
  app.log.fatal({ err: error }, 'could not start listening');
  process.exit(1);
}
