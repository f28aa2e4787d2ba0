/**
 * The small kustomize renderer the Kubernetes checks use (scripts/kubernetes/kustomize.ts): what it renders,
 * what it refuses, and — where a kustomize binary exists (`kubectl kustomize`) — that it renders the
 * repository's overlays exactly as kustomize does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  KustomizeError,
  applyImageRule,
  imageName,
  renderKustomization,
} from '../../scripts/kubernetes/kustomize.ts';
import type { K8sObject } from '../../scripts/kubernetes/validate.ts';

const work = mkdtempSync(join(tmpdir(), 'tenderly-kustomize-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BASE_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: example.com/team/web:1.0.0
          resources: { limits: { cpu: '1' } }
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{ port: 80 }]
`;

let fixture = 0;
/** A base (Deployment + Service) and an overlay with the given kustomization body; returns the overlay dir. */
function overlay(body: string, resources = ['../base']): string {
  const root = join(work, String(fixture++));
  mkdirSync(join(root, 'base'), { recursive: true });
  mkdirSync(join(root, 'overlay'));
  writeFileSync(join(root, 'base', 'workload.yaml'), `${BASE_DEPLOYMENT}---\n${SERVICE}`);
  writeFileSync(join(root, 'base', 'kustomization.yaml'), 'resources:\n  - workload.yaml\n');
  writeFileSync(
    join(root, 'overlay', 'kustomization.yaml'),
    `resources:\n${resources.map((r) => `  - ${r}\n`).join('')}${body}`,
  );
  return join(root, 'overlay');
}
const deployment = (objects: K8sObject[]): any => objects.find((o) => o.kind === 'Deployment');

describe('kustomize renderer', () => {
  it('renders resources from directories and multi-document files, in order', () => {
    expect(renderKustomization(overlay('')).map((o) => o.kind)).toEqual(['Deployment', 'Service']);
  });

  it('sets the namespace on every namespaced object, but not on a Namespace', () => {
    const dir = overlay(
      'namespace: shop\nresources:\n  - ../base\n  - ns.yaml\n'.replace('resources:\n  - ../base\n', ''),
    );
    writeFileSync(join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
    writeFileSync(join(dir, 'kustomization.yaml'), 'namespace: shop\nresources:\n  - ns.yaml\n  - ../base\n');
    const objects = renderKustomization(dir);
    expect(objects.map((o) => [o.kind, o.metadata?.namespace])).toEqual([
      ['Namespace', undefined],
      ['Deployment', 'shop'],
      ['Service', 'shop'],
    ]);
  });

  it('applies JSON 6902 patches to the targeted object only', () => {
    const objects = renderKustomization(
      overlay(`patches:
  - target: { kind: Deployment, name: web }
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/0/resources/limits/cpu
        value: '2'
      - op: add
        path: /spec/replicas
        value: 3
`),
    );
    expect(deployment(objects).spec.replicas).toBe(3);
    expect(deployment(objects).spec.template.spec.containers[0].resources.limits.cpu).toBe('2');
    expect(objects.find((o) => o.kind === 'Service')).not.toHaveProperty('spec.replicas');
  });

  it('reads a patch from a file', () => {
    const dir = overlay('patches:\n  - target: { kind: Service, name: web }\n    path: svc.yaml\n');
    writeFileSync(join(dir, 'svc.yaml'), '- op: add\n  path: /spec/type\n  value: ClusterIP\n');
    expect((renderKustomization(dir)[1]?.spec as any).type).toBe('ClusterIP');
  });

  it('sets image tags and names, keeping everything else', () => {
    const objects = renderKustomization(
      overlay(
        'images:\n  - name: example.com/team/web\n    newName: registry.local/web\n    newTag: 1.2.3\n',
      ),
    );
    expect(deployment(objects).spec.template.spec.containers[0].image).toBe('registry.local/web:1.2.3');
  });

  it.each([
    ['example.com:5000/team/web:1.0', 'example.com:5000/team/web'],
    ['example.com:5000/team/web', 'example.com:5000/team/web'],
    ['redis:7.4-alpine', 'redis'],
    ['redis@sha256:' + 'a'.repeat(64), 'redis'],
  ])('image name of %s is %s', (image, name) => {
    expect(imageName(image)).toBe(name);
  });

  it('pins a digest when the image rule has one', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(applyImageRule('example.com/web:1.0', { name: 'example.com/web', digest })).toBe(
      `example.com/web@${digest}`,
    );
    expect(applyImageRule('other/web:1.0', { name: 'example.com/web', newTag: '2' })).toBe('other/web:1.0');
  });

  it.each([
    ['an unsupported field', 'commonLabels:\n  team: a\n', /unsupported field\(s\) commonLabels/],
    [
      'a strategic-merge patch',
      'patches:\n  - target: { kind: Deployment, name: web }\n    patch: |-\n      spec:\n        replicas: 2\n',
      /only JSON 6902 patches/,
    ],
    [
      'a patch whose path does not exist',
      'patches:\n  - target: { kind: Deployment, name: web }\n    patch: |-\n      - op: replace\n        path: /spec/nothing/here\n        value: 1\n',
      /patch on Deployment\/web/,
    ],
    [
      'a patch that targets nothing',
      'patches:\n  - target: { kind: Deployment, name: api }\n    patch: |-\n      - op: add\n        path: /spec/replicas\n        value: 1\n',
      /no resource matches patch target Deployment\/api/,
    ],
    ['a missing resource', '', /resource nothing.yaml does not exist/, ['../base', 'nothing.yaml']],
    ['a malformed kustomization.yaml', 'namespace: [a\n', /kustomization.yaml/],
  ])('refuses %s', (_name, body, message, resources?: string[]) => {
    const dir = overlay(body, resources);
    expect(() => renderKustomization(dir)).toThrow(KustomizeError);
    expect(() => renderKustomization(dir)).toThrow(message);
  });
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const hasKustomize = kubectl.status === 0 && /Kustomize Version/.test(kubectl.stdout);

describe.skipIf(!hasKustomize)(
  'the same output as kubectl kustomize (run where kubectl is installed)',
  () => {
    const key = (o: K8sObject) => `${String(o.kind)}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    const byKey = (objects: K8sObject[]) =>
      Object.fromEntries(
        objects.map((o) => [key(o), o]).sort(([a], [b]) => String(a).localeCompare(String(b))),
      );

    it.each([
      'deploy/kubernetes/base',
      'deploy/kubernetes/overlays/production',
      'deploy/kubernetes/overlays/dev',
    ])('%s', (dir) => {
      const theirs = parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })).map(
        (d) => d.toJS() as K8sObject,
      );
      expect(byKey(renderKustomization(dir))).toEqual(byKey(theirs));
    });
  },
);
