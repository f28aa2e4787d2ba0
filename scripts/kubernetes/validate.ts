// Validates Kubernetes objects against the API's OpenAPI schemas (kubernetes-models, and the Prometheus
// Operator CRDs from @kubernetes-models/prometheus-operator), strictly: a field the schema does not know is an
// error, as the API server's strict field validation (`kubectl apply`'s default) makes it.
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

export type K8sObject = Record<string, unknown> & {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
};

type ModelClass = { prototype: { validate(this: unknown): void } };

/** The API groups the manifests may use; anything else is reported, not skipped. */
const GROUPS: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'networking.k8s.io/v1': networking,
  'policy/v1': policy,
  'monitoring.coreos.com/v1': monitoring,
};

export function describe(object: K8sObject): string {
  return `${String(object.kind)}/${object.metadata?.name ?? '?'}`;
}

/**
 * The generated validators read exactly the properties their schema declares (and enumerate the keys of map
 * fields such as labels), so every key of the object that was never read is unknown to the schema.
 */
function recording(value: unknown, path: string, touched: Map<string, Set<string | symbol>>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const seen = new Set<string | symbol>();
  touched.set(path, seen);
  const all = () => Reflect.ownKeys(value).forEach((k) => seen.add(k));
  return new Proxy(value, {
    get(target, key, receiver) {
      seen.add(key);
      const child = Reflect.get(target, key, receiver);
      return typeof key === 'string' && Object.hasOwn(target, key)
        ? recording(child, `${path}/${key}`, touched)
        : child;
    },
    has(target, key) {
      seen.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      all();
      return Reflect.ownKeys(target);
    },
  });
}

function unknownFields(value: unknown, path: string, touched: Map<string, Set<string | symbol>>): string[] {
  if (value === null || typeof value !== 'object') return [];
  const seen = touched.get(path);
  const out: string[] = [];
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (seen && !seen.has(key)) out.push(`${path || '/'}: unknown field "${key}"`);
    else out.push(...unknownFields(child, `${path}/${key}`, touched));
  }
  return out;
}

/** Schema errors of one object, each prefixed with the object's kind/name; [] when it is valid. */
export function validateObject(object: K8sObject): string[] {
  const name = describe(object);
  const group = typeof object.apiVersion === 'string' ? GROUPS[object.apiVersion] : undefined;
  const model = group && typeof object.kind === 'string' ? (group[object.kind] as ModelClass) : undefined;
  if (!model?.prototype?.validate) return [`${name}: unknown apiVersion/kind ${String(object.apiVersion)}`];
  const touched = new Map<string, Set<string | symbol>>();
  const errors: string[] = [];
  try {
    model.prototype.validate.call(recording(object, '', touched));
  } catch (error) {
    errors.push(...(error as Error).message.split(', data').map((m, i) => (i === 0 ? m : `data${m}`)));
  }
  errors.push(...unknownFields(object, '', touched));
  return errors.map((m) => `${name}: ${m}`);
}
