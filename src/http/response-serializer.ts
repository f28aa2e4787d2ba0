import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Response schemas whose values the service builds itself, from typed domain code, after every
 * untrusted input (request body, model output) has been validated where it entered.
 */
const BUILT_BY_SERVICE = new WeakSet<z.ZodType>();

/** Marks a response schema as built by the service: serialised by a compiled serializer instead of zod parsing. */
export function builtByService<T extends z.ZodType>(schema: T): T {
  BUILT_BY_SERVICE.add(schema);
  return schema;
}

/**
 * A serializer compiled once from the schema's JSON Schema (fast-json-stringify): properties in schema
 * order, keys the schema does not name dropped — the bytes zod's parse-then-stringify produces, without
 * re-validating. A missing required field or a value no type fits still throws (a 500, never a bad answer).
 */
export function compileSerializer(schema: z.ZodType): (value: unknown) => string {
  const jsonSchema = z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
  return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
}

/**
 * The zod routes' serializer compiler. Schemas marked `builtByService` get a compiled serializer; with
 * `verify` (every environment but production) the value is also parsed by zod first, so the whole test
 * suite checks each such answer against its schema. Every other schema keeps zod's parse-and-stringify.
 */
export function responseSerializerCompiler(options: {
  verify: boolean;
}): FastifySerializerCompiler<z.ZodType> {
  return (route) => {
    const schema = route.schema;
    if (!(schema instanceof z.ZodType) || !BUILT_BY_SERVICE.has(schema)) return zodSerializerCompiler(route);
    const serialize = compileSerializer(schema);
    if (!options.verify) return serialize;
    const checked = zodSerializerCompiler(route);
    return (value: unknown) => {
      checked(value);
      return serialize(value);
    };
  };
}
