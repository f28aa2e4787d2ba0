// Deployment policy for rendered manifests: what a reviewer would otherwise check by eye. Each finding names
// the object and the container; [] means the manifests pass.
import { SECRET_VARIABLES } from '../../src/config/env.ts';
import { describe, type K8sObject } from './validate.ts';

type Obj = Record<string, unknown>;
interface Container {
  name?: string;
  image?: string;
  resources?: { limits?: Obj; requests?: Obj };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  env?: { name?: string; value?: string }[];
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    seccompProfile?: { type?: string };
  };
}
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type?: string } };
}

/** Paths that must never be reachable through an Ingress (nginx/nginx.conf closes them at the edge too). */
export const INTERNAL_PATHS = ['/metrics', '/docs'];
/** Placeholder a Secret manifest may carry instead of a value. */
export const SECRET_PLACEHOLDER = 'CHANGE-ME';

export function podSpec(object: K8sObject): PodSpec | undefined {
  const spec = object.spec as
    { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } | undefined;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
}

/** `name:tag`, `name@sha256:…` or both; never untagged, never `latest`. */
export function imageProblem(image: string | undefined): string | null {
  if (!image) return 'has no image';
  const [ref, digest] = image.split('@') as [string, string | undefined];
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const tag = colon > slash ? ref.slice(colon + 1) : undefined;
  if (tag === 'latest') return `image ${image} uses the tag latest`;
  if (!tag && !digest) return `image ${image} has no tag or digest`;
  if (digest && !/^sha256:[0-9a-f]{64}$/.test(digest)) return `image ${image} has a malformed digest`;
  return null;
}

function containerProblems(pod: PodSpec, c: Container): string[] {
  const out: string[] = [];
  const sc = c.securityContext ?? {};
  for (const kind of ['limits', 'requests'] as const) {
    for (const resource of ['cpu', 'memory']) {
      if (c.resources?.[kind]?.[resource] === undefined) out.push(`has no ${kind}.${resource}`);
    }
  }
  if (!c.livenessProbe) out.push('has no livenessProbe');
  if (!c.readinessProbe) out.push('has no readinessProbe');
  const nonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
  const uid = sc.runAsUser ?? pod.securityContext?.runAsUser;
  if (nonRoot !== true) out.push('does not set runAsNonRoot: true');
  if (uid === 0) out.push('runs as uid 0');
  if (sc.readOnlyRootFilesystem !== true) out.push('does not set readOnlyRootFilesystem: true');
  if (sc.allowPrivilegeEscalation !== false) out.push('does not set allowPrivilegeEscalation: false');
  if (sc.privileged) out.push('is privileged');
  if (!sc.capabilities?.drop?.includes('ALL')) out.push('does not drop ALL capabilities');
  if (sc.capabilities?.add?.length) out.push(`adds capabilities ${sc.capabilities.add.join(', ')}`);
  const seccomp = sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
    out.push('has no RuntimeDefault seccomp profile');
  const image = imageProblem(c.image);
  if (image) out.push(image);
  for (const e of c.env ?? []) {
    if (e.name && SECRET_VARIABLES.has(e.name) && e.value !== undefined)
      out.push(`sets the credential ${e.name} as a plain value (use a Secret)`);
  }
  return out.map((p) => `container ${c.name ?? '?'} ${p}`);
}

function podProblems(pod: PodSpec): string[] {
  const out: string[] = [];
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) out.push('shares a host namespace');
  if (pod.automountServiceAccountToken !== false) out.push('mounts a service account token');
  if (!pod.containers?.length) out.push('has no containers');
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])])
    out.push(...containerProblems(pod, c));
  return out;
}

function secretProblems(object: K8sObject): string[] {
  const out: string[] = [];
  for (const field of ['data', 'stringData']) {
    for (const [key, value] of Object.entries((object[field] as Obj | undefined) ?? {})) {
      const plain = field === 'data' ? Buffer.from(String(value), 'base64').toString('utf8') : String(value);
      if (plain !== SECRET_PLACEHOLDER && plain !== '')
        out.push(`holds a value for ${key} (placeholders only)`);
    }
  }
  return out;
}

function configMapProblems(object: K8sObject): string[] {
  return Object.keys((object.data as Obj | undefined) ?? {})
    .filter((key) => SECRET_VARIABLES.has(key))
    .map((key) => `holds the credential ${key} (it belongs in the Secret)`);
}

/** Does an Ingress path of this type send `path` to its backend? (Prefix matches whole path elements.) */
export function routes(pathType: string | undefined, prefix: string, path: string): boolean {
  if (pathType === 'Exact') return prefix === path;
  const p = prefix.replace(/\/+$/, '');
  return p === '' || path === p || path.startsWith(`${p}/`);
}

function ingressProblems(object: K8sObject, objects: K8sObject[]): string[] {
  const out: string[] = [];
  const rules = ((object.spec as Obj | undefined)?.rules as { http?: { paths?: Obj[] } }[] | undefined) ?? [];
  for (const path of rules.flatMap((r) => r.http?.paths ?? [])) {
    const value = String(path.path ?? '/');
    for (const internal of INTERNAL_PATHS) {
      if (routes(path.pathType as string | undefined, value, internal))
        out.push(`path ${value} routes ${internal} to the app`);
    }
    const backend = (
      path.backend as { service?: { name?: string; port?: { name?: string; number?: number } } }
    )?.service;
    const service = objects.find(
      (o) =>
        o.kind === 'Service' &&
        o.metadata?.name === backend?.name &&
        o.metadata?.namespace === object.metadata?.namespace,
    );
    if (!service) {
      out.push(`path ${value} routes to Service ${backend?.name ?? '?'}, which is not in the manifests`);
      continue;
    }
    const ports =
      ((service.spec as Obj).ports as { name?: string; port?: number; targetPort?: unknown }[]) ?? [];
    const port = ports.find((p) => p.name === backend?.port?.name || p.port === backend?.port?.number);
    if (!port) out.push(`path ${value} routes to a port Service ${backend?.name} does not have`);
    else if (port.targetPort === 'metrics' || port.targetPort === 9464 || port.port === 9464)
      out.push(`path ${value} routes to the metrics port`);
  }
  return out;
}

/** Every policy finding for a rendered set of objects. */
export function checkPolicies(objects: K8sObject[]): string[] {
  const out: string[] = [];
  for (const object of objects) {
    const name = describe(object);
    const found: string[] = [];
    const pod = podSpec(object);
    if (pod) found.push(...podProblems(pod));
    if (object.kind === 'Secret') found.push(...secretProblems(object));
    if (object.kind === 'ConfigMap') found.push(...configMapProblems(object));
    if (object.kind === 'Ingress') found.push(...ingressProblems(object, objects));
    out.push(...found.map((f) => `${name}: ${f}`));
  }
  return out;
}
