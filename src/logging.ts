import type { FastifyServerOptions } from 'fastify';
import pino, { type DestinationStream, type LoggerOptions } from 'pino';
import type { AppConfig } from './config/config.ts';

/** Headers that carry credentials or patient identifiers; censored wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["x-patient-id"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  'headers["x-patient-id"]',
];

export function baseLoggerOptions(config: AppConfig): LoggerOptions {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Request objects are never logged whole: the request-log plugin writes the fields it needs.
    serializers: { req: () => undefined, res: () => undefined },
    base: { service: 'tenderly-diagnosis' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

export function loggerOptions(config: AppConfig, stream?: DestinationStream): FastifyServerOptions['logger'] {
  const options = baseLoggerOptions(config);
  if (stream) return { ...options, stream } as FastifyServerOptions['logger'];
  if (process.stdout.isTTY) {
    return { ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } };
  }
  return options;
}
