/**
 * Issue 17: the Kubernetes manifests (deploy/kubernetes), checked without a cluster. Each kustomization is
 * rendered (scripts/kubernetes/kustomize.ts), every object validated against the Kubernetes OpenAPI schemas
 * (kubernetes-models, strict about unknown fields) and against the deployment policy
 * (scripts/kubernetes/policy.ts); then the manifests are held to the service's own configuration, the Compose
 * deployment and nginx/nginx.conf, so the two deployments cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { renderKustomization } from '../../scripts/kubernetes/kustomize.ts';
import { checkPolicies, podSpec } from '../../scripts/kubernetes/policy.ts';
import { ALERTS_FILE, RULE_FILE, renderPrometheusRule } from '../../scripts/kubernetes/prometheus-rule.ts';
import { validateObject, type K8sObject } from '../../scripts/kubernetes/validate.ts';

const KUSTOMIZATIONS = {
  base: 'deploy/kubernetes/base',
  monitoring: 'deploy/kubernetes/monitoring',
  production: 'deploy/kubernetes/overlays/production',
  dev: 'deploy/kubernetes/overlays/dev',
} as const;
const OVERLAY_NAMESPACES = { production: 'tenderly', dev: 'tenderly-dev' } as const;

const rendered = Object.fromEntries(
  Object.entries(KUSTOMIZATIONS).map(([name, dir]) => [name, renderKustomization(dir)]),
) as Record<keyof typeof KUSTOMIZATIONS, K8sObject[]>;

function find(objects: K8sObject[], kind: string, name: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`${kind}/${name} is not rendered`);
  return found;
}
const app = (objects: K8sObject[]) => find(objects, 'Deployment', 'tenderly');
const appContainer = (objects: K8sObject[]) => app(objects).spec.template.spec.containers[0];
const configData = (objects: K8sObject[]): Record<string, string> =>
  find(objects, 'ConfigMap', 'tenderly-config').data;

/** Credentials as the operator's Secret would hold them (random-looking test values, never committed ones). */
const SECRET_KEYS = {
  API_KEYS: 'tenderly-backend:test-key-0123456789abcdefghijklmnop',
  JWT_SECRET: 'a-test-jwt-secret-of-at-least-32-chars',
  AUDIT_HASH_SALT: 'a-test-salt-0123456789',
  REDIS_URL: 'rediss://:test-password@redis.internal:6380/0',
};

const compose = parse(readFileSync('docker-compose.prod.yml', 'utf8'));
const dockerfile = readFileSync('Dockerfile', 'utf8');
const nginxConf = readFileSync('nginx/nginx.conf', 'utf8');

const APP_KINDS = [
  'Deployment',
  'Service',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'ServiceAccount',
  'ConfigMap',
  'Ingress',
];
const MONITORING_KINDS = ['ServiceMonitor', 'PrometheusRule'];
const EXPECTED_KINDS = {
  base: APP_KINDS,
  monitoring: MONITORING_KINDS,
  production: ['Namespace', ...APP_KINDS, ...MONITORING_KINDS],
  dev: ['Namespace', ...APP_KINDS, ...MONITORING_KINDS, 'StatefulSet'],
};

describe.each(Object.keys(KUSTOMIZATIONS) as (keyof typeof KUSTOMIZATIONS)[])('kustomization %s', (name) => {
  const objects = rendered[name];

  it('renders the expected kinds', () => {
    expect([...new Set(objects.map((o) => o.kind))].sort()).toEqual([...EXPECTED_KINDS[name]].sort());
  });

  it('validates against the Kubernetes and Prometheus Operator schemas with zero errors', () => {
    expect(objects.flatMap(validateObject)).toEqual([]);
  });

  it('passes every policy check', () => {
    expect(checkPolicies(objects)).toEqual([]);
  });

  it('never contains a Secret', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });
});

describe.each(['base', 'production', 'dev'] as const)('configuration of %s', (name) => {
  const objects = rendered[name];

  it('is a configuration the service accepts (the ConfigMap plus the Secret keys)', () => {
    const data = configData(objects);
    const config = loadConfig({ ...data, ...SECRET_KEYS });
    expect(config.nodeEnv).toBe('production');
    expect(config.port).toBe(8000);
    expect(config.metrics.port).toBe(9464);
    // Addresses/CIDRs, never a hop count: Fastify trusts no proxy for a number.
    expect(data.TRUST_PROXY).toMatch(/^[0-9a-f.:]+\/\d+(,[0-9a-f.:]+\/\d+)*$/i);
    expect(config.http.trustProxy).toEqual(data.TRUST_PROXY?.split(','));
  });
});

describe.each(Object.keys(OVERLAY_NAMESPACES) as (keyof typeof OVERLAY_NAMESPACES)[])(
  'overlay %s',
  (name) => {
    const objects = rendered[name];

    it('puts every namespaced object in its namespace, which enforces the restricted Pod Security profile', () => {
      const namespace = OVERLAY_NAMESPACES[name];
      for (const o of objects.filter((o) => o.kind !== 'Namespace'))
        expect(o.metadata?.namespace).toBe(namespace);
      expect(
        find(objects, 'Namespace', namespace).metadata.labels['pod-security.kubernetes.io/enforce'],
      ).toBe('restricted');
    });

    it('runs the image at the version in package.json', () => {
      const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
      expect(appContainer(objects).image).toMatch(
        new RegExp(`:${version.replaceAll('.', '\\.')}(@sha256:[0-9a-f]{64})?$`),
      );
    });

    it('lets the app reach its Redis and nothing else besides DNS and HTTPS', () => {
      const egress = find(objects, 'NetworkPolicy', 'tenderly').spec.egress as any[];
      const ports = egress.flatMap((rule) => rule.ports.map((p: any) => p.port)).sort();
      expect(ports).toEqual(name === 'production' ? [443, 53, 53, 6379, 6380] : [443, 53, 53, 6379]);
    });
  },
);

describe('matches the Compose deployment and the service', () => {
  const objects = rendered.base;
  const composeApp = compose.services.app;

  it('uses the Compose resource limits and reservations', () => {
    const { limits, reservations } = composeApp.deploy.resources;
    const { resources } = appContainer(objects);
    expect(Number(resources.limits.cpu)).toBe(Number(limits.cpus));
    expect(resources.limits.memory).toBe(limits.memory.replace(/M$/, 'Mi'));
    expect(Number.parseInt(resources.requests.cpu) / 1000).toBe(Number(reservations.cpus));
    expect(resources.requests.memory).toBe(reservations.memory.replace(/M$/, 'Mi'));
  });

  it("keeps the image's V8 heap cap at about half the memory limit", () => {
    const heap = (s: string) => Number(/--max-old-space-size=(\d+)/.exec(s)?.[1]);
    const env = appContainer(objects).env.find((e: any) => e.name === 'NODE_OPTIONS').value;
    expect(heap(env)).toBe(heap(dockerfile));
    for (const o of [rendered.base, rendered.production, rendered.dev]) {
      const limitMi = Number.parseInt(appContainer(o).resources.limits.memory);
      expect(heap(env)).toBeLessThanOrEqual(limitMi / 2);
    }
  });

  it('gives the drain (SHUTDOWN_GRACE_MS) and the preStop pause time before SIGKILL', () => {
    const pod = podSpec(app(objects))!;
    const preStop = appContainer(objects).lifecycle.preStop.exec.command;
    expect(preStop[0]).toBe('/bin/sleep');
    const graceMs = Number(configData(objects).SHUTDOWN_GRACE_MS);
    expect(pod as any).toHaveProperty('terminationGracePeriodSeconds');
    expect((pod as any).terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      graceMs + Number(preStop[1]) * 1000,
    );
  });

  it('probes liveness, readiness and start-up on the health routes of the API port', () => {
    const c = appContainer(objects);
    expect(c.livenessProbe.httpGet.path).toBe('/health/live');
    expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(c.startupProbe.httpGet.path).toBe('/health/live');
    const http = c.ports.find((p: any) => p.name === 'http');
    expect(http.containerPort).toBe(Number(configData(objects).PORT));
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe])
      expect(probe.httpGet.port).toBe('http');
  });

  it('runs as the image user 10001, read-only, with /tmp the only writable path', () => {
    const pod: any = podSpec(app(objects));
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(pod.securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 10001, runAsNonRoot: true });
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(appContainer(objects).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(find(objects, 'ServiceAccount', 'tenderly').automountServiceAccountToken).toBe(false);
  });

  it('spreads replicas across nodes and zones', () => {
    const constraints = app(objects).spec.template.spec.topologySpreadConstraints;
    expect(constraints.map((c: any) => c.topologyKey)).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
  });

  it('scrapes the metrics Service as job tenderly-app, the job the alert rules select', () => {
    const metrics = find(objects, 'Service', 'tenderly-metrics');
    const container = appContainer(objects);
    const metricsPort = container.ports.find((p: any) => p.name === 'metrics').containerPort;
    expect(metricsPort).toBe(Number(configData(objects).METRICS_PORT));
    expect(metrics.spec.ports).toEqual([expect.objectContaining({ targetPort: 'metrics' })]);
    const monitor = find(rendered.monitoring, 'ServiceMonitor', 'tenderly');
    expect(monitor.spec.selector.matchLabels).toEqual(metrics.metadata.labels);
    // The API Service does not match the selector, so nothing is scraped twice or through the API port.
    const api = find(objects, 'Service', 'tenderly');
    expect(api.metadata.labels).not.toEqual(metrics.metadata.labels);
    expect(monitor.spec.endpoints[0].relabelings).toContainEqual({
      action: 'replace',
      targetLabel: 'job',
      replacement: 'tenderly-app',
    });
    expect(readFileSync(ALERTS_FILE, 'utf8')).toContain('job="tenderly-app"');
  });

  it('applies the edge protections of nginx/nginx.conf at the Ingress', () => {
    const ingress = find(objects, 'Ingress', 'tenderly');
    const a = ingress.metadata.annotations;
    const nginxBody = /client_max_body_size (\d+)k;/.exec(nginxConf)?.[1];
    expect(a['nginx.ingress.kubernetes.io/proxy-body-size']).toBe(`${nginxBody}k`);
    expect(Number(nginxBody) * 1024).toBe(Number(configData(objects).BODY_LIMIT_BYTES));
    const [, rate, burst] = /rate=(\d+)r\/s;[\s\S]*limit_req zone=tenderly_per_ip burst=(\d+)/.exec(
      nginxConf,
    )!;
    expect(a['nginx.ingress.kubernetes.io/limit-rps']).toBe(rate);
    expect(
      Number(a['nginx.ingress.kubernetes.io/limit-rps']) *
        Number(a['nginx.ingress.kubernetes.io/limit-burst-multiplier']),
    ).toBe(Number(burst));
    expect(a['nginx.ingress.kubernetes.io/limit-connections']).toBe(
      /limit_conn tenderly_conn_per_ip (\d+);/.exec(nginxConf)?.[1],
    );
    expect(a['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBe(
      /proxy_read_timeout (\d+)s;/.exec(nginxConf)?.[1],
    );
    expect(a['nginx.ingress.kubernetes.io/force-ssl-redirect']).toBe('true');
    expect(ingress.spec.tls[0].hosts).toEqual([ingress.spec.rules[0].host]);
    // Only the API's own prefixes: /metrics and /docs are not routed (the policy check proves it per path).
    expect(ingress.spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/v1', '/api/v1', '/health']);
  });

  it('autoscales the Deployment on CPU and keeps one replica through voluntary disruptions', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'tenderly');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'tenderly' });
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    // The replica count belongs to the HPA: re-applying must not reset it.
    expect(app(objects).spec).not.toHaveProperty('replicas');
    const pdb = find(objects, 'PodDisruptionBudget', 'tenderly');
    expect(pdb.spec.selector.matchLabels).toEqual(app(objects).spec.template.metadata.labels);
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(
      find(rendered.production, 'HorizontalPodAutoscaler', 'tenderly').spec.minReplicas,
    ).toBeGreaterThanOrEqual(2);
  });

  it('admits traffic only from the ingress controller (API port) and Prometheus (metrics port)', () => {
    const policy = find(objects, 'NetworkPolicy', 'tenderly');
    expect(policy.spec.podSelector.matchLabels).toEqual(app(objects).spec.template.metadata.labels);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const rules = policy.spec.ingress.map((r: any) => [
      r.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
      r.ports.map((p: any) => p.port),
    ]);
    expect(rules).toEqual([
      ['ingress-nginx', ['http']],
      ['monitoring', ['metrics']],
    ]);
  });
});

describe('PrometheusRule', () => {
  it('is exactly what scripts/kubernetes/prometheus-rule.ts generates from monitoring/alerts.yml', async () => {
    expect(readFileSync(RULE_FILE, 'utf8')).toBe(
      await renderPrometheusRule(readFileSync(ALERTS_FILE, 'utf8')),
    );
  });

  it('carries the same groups as monitoring/alerts.yml', () => {
    const rule = find(rendered.monitoring, 'PrometheusRule', 'tenderly');
    expect(rule.spec.groups).toEqual(parse(readFileSync(ALERTS_FILE, 'utf8')).groups);
  });

  it('would differ after any change to an alert', async () => {
    const changed = readFileSync(ALERTS_FILE, 'utf8').replace('for: 2m', 'for: 3m');
    expect(await renderPrometheusRule(changed)).not.toBe(readFileSync(RULE_FILE, 'utf8'));
  });
});

describe('a deliberately broken manifest fails the checks', () => {
  /** The production Deployment, changed by `mutate`. */
  function brokenDeployment(mutate: (d: any) => void): K8sObject[] {
    const objects = structuredClone(rendered.production);
    mutate(app(objects));
    return objects;
  }
  const container = (d: any) => d.spec.template.spec.containers[0];

  it.each([
    ['a container without limits', (d: any) => delete container(d).resources.limits, /has no limits\.cpu/],
    [
      'a container without requests',
      (d: any) => delete container(d).resources.requests,
      /has no requests\.memory/,
    ],
    ['no readiness probe', (d: any) => delete container(d).readinessProbe, /has no readinessProbe/],
    ['no liveness probe', (d: any) => delete container(d).livenessProbe, /has no livenessProbe/],
    [
      'a writable root filesystem',
      (d: any) => (container(d).securityContext.readOnlyRootFilesystem = false),
      /readOnlyRootFilesystem/,
    ],
    ['capabilities kept', (d: any) => (container(d).securityContext.capabilities = {}), /does not drop ALL/],
    [
      'a capability added',
      (d: any) => (container(d).securityContext.capabilities.add = ['NET_ADMIN']),
      /adds capabilities NET_ADMIN/,
    ],
    [
      'root',
      (d: any) => {
        delete container(d).securityContext.runAsNonRoot;
        delete d.spec.template.spec.securityContext.runAsNonRoot;
      },
      /runAsNonRoot/,
    ],
    ['uid 0', (d: any) => (container(d).securityContext.runAsUser = 0), /runs as uid 0/],
    [
      'privilege escalation',
      (d: any) => delete container(d).securityContext.allowPrivilegeEscalation,
      /allowPrivilegeEscalation/,
    ],
    [
      'no seccomp profile',
      (d: any) => {
        delete container(d).securityContext.seccompProfile;
        delete d.spec.template.spec.securityContext.seccompProfile;
      },
      /seccomp/,
    ],
    [
      'the latest tag',
      (d: any) => (container(d).image = 'registry.example.com/tenderly/diagnosis-service:latest'),
      /uses the tag latest/,
    ],
    [
      'an untagged image',
      (d: any) => (container(d).image = 'registry.example.com/tenderly/diagnosis-service'),
      /has no tag or digest/,
    ],
    [
      'a credential in plain text',
      (d: any) => container(d).env.push({ name: 'OPENAI_API_KEY', value: 'sk-test' }),
      /credential OPENAI_API_KEY/,
    ],
    [
      'a mounted service account token',
      (d: any) => delete d.spec.template.spec.automountServiceAccountToken,
      /service account token/,
    ],
    ['a host namespace', (d: any) => (d.spec.template.spec.hostNetwork = true), /host namespace/],
  ])('policy: %s', (_name, mutate, finding) => {
    const findings = checkPolicies(brokenDeployment(mutate));
    expect(findings.join('\n')).toMatch(finding);
    expect(findings.every((f) => f.startsWith('Deployment/tenderly: '))).toBe(true);
  });

  it.each([
    [
      'a misspelt field',
      (d: any) => (container(d).readinesProbe = container(d).readinessProbe),
      /unknown field "readinesProbe"/,
    ],
    [
      'a field at the wrong level',
      (d: any) => (d.spec.template.spec.replicas = 2),
      /unknown field "replicas"/,
    ],
    [
      'a wrong type',
      (d: any) => (container(d).securityContext.runAsNonRoot = 'yes'),
      /runAsNonRoot must be boolean/,
    ],
    [
      'a malformed quantity',
      (d: any) => (container(d).resources.limits.memory = '512 megabytes'),
      /memory must match format "quantity"/,
    ],
    [
      'a missing required field',
      (d: any) => delete container(d).name,
      /containers\/0 must have required property name/,
    ],
  ])('schema: %s', (_name, mutate, error) => {
    const errors = brokenDeployment(mutate).flatMap(validateObject);
    expect(errors.join('\n')).toMatch(error);
  });

  it('schema: an unknown kind or API version is an error, not skipped', () => {
    expect(validateObject({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })).toEqual([
      'Deploymnet/x: unknown apiVersion/kind apps/v1',
    ]);
    expect(
      validateObject({ apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'x' } }),
    ).toHaveLength(1);
  });

  it('schema: a broken PrometheusRule or ServiceMonitor is caught by the operator CRD schemas', () => {
    const rule = structuredClone(find(rendered.monitoring, 'PrometheusRule', 'tenderly'));
    rule.spec.groups[0].rules[0].expr = undefined;
    rule.spec.groups[0].rules[0].exprr = 'up == 0';
    expect(validateObject(rule).join('\n')).toMatch(/unknown field "exprr"/);
    const monitor = structuredClone(find(rendered.monitoring, 'ServiceMonitor', 'tenderly'));
    monitor.spec.endpoints[0].scheme = 'gopher';
    expect(validateObject(monitor)).not.toEqual([]);
  });

  it('policy: a Secret with a value fails; one with placeholders only passes', () => {
    const secret = (stringData: Record<string, string>): K8sObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tenderly-secrets' },
      stringData,
    });
    expect(checkPolicies([secret({ OPENAI_API_KEY: 'sk-live-abc' })])).toEqual([
      'Secret/tenderly-secrets: holds a value for OPENAI_API_KEY (placeholders only)',
    ]);
    expect(checkPolicies([secret({ OPENAI_API_KEY: 'CHANGE-ME' })])).toEqual([]);
    const encoded: K8sObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { K: Buffer.from('x').toString('base64') },
    };
    expect(checkPolicies([encoded])).toHaveLength(1);
  });

  it('policy: a credential in the ConfigMap fails', () => {
    const objects = structuredClone(rendered.production);
    configData(objects).JWT_SECRET = 'x'.repeat(40);
    expect(checkPolicies(objects)).toEqual([
      'ConfigMap/tenderly-config: holds the credential JWT_SECRET (it belongs in the Secret)',
    ]);
  });

  it.each([
    ['a catch-all path', { path: '/', pathType: 'Prefix' }, /path \/ routes \/metrics to the app/],
    ['an explicit /docs', { path: '/docs', pathType: 'Prefix' }, /routes \/docs to the app/],
    [
      'the metrics Service',
      {
        path: '/stats',
        pathType: 'Prefix',
        backend: { service: { name: 'tenderly-metrics', port: { name: 'metrics' } } },
      },
      /routes to the metrics port/,
    ],
    [
      'a Service that does not exist',
      { path: '/x', pathType: 'Prefix', backend: { service: { name: 'nope', port: { number: 80 } } } },
      /not in the manifests/,
    ],
  ])('policy: an Ingress routing %s', (_name, path, finding) => {
    const objects = structuredClone(rendered.production);
    const ingress = find(objects, 'Ingress', 'tenderly');
    ingress.spec.rules[0].http.paths.push({
      backend: { service: { name: 'tenderly', port: { name: 'http' } } },
      ...path,
    });
    expect(checkPolicies(objects).join('\n')).toMatch(finding);
  });
});
