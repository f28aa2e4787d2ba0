// Renders a kustomization without a kustomize binary, for the subset this repository's overlays use:
// `resources` (files and directories), `namespace`, `images` and JSON 6902 `patches` aimed by kind and name.
// Anything else in a kustomization.yaml is refused, so an overlay cannot silently use a feature that is not
// rendered here. test/kubernetes/kustomize.test.ts compares the output with `kubectl kustomize` where it exists.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { parse, parseAllDocuments } from 'yaml';
import type { K8sObject } from './validate.ts';

const { applyPatch } = fastJsonPatch;

interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}
interface PatchRule {
  path?: string;
  patch?: string;
  target?: { kind?: string; name?: string; group?: string; version?: string };
}
interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  namespace?: string;
  images?: ImageRule[];
  patches?: PatchRule[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
]);

export class KustomizeError extends Error {}

function readYamlDocuments(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length > 0) throw new KustomizeError(`${file}: ${doc.errors[0]?.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

function readKustomization(dir: string): Kustomization {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new KustomizeError(`${dir}: no kustomization.yaml`);
  let k: Kustomization;
  try {
    k = parse(readFileSync(file, 'utf8')) as Kustomization;
  } catch (error) {
    throw new KustomizeError(`${file}: ${(error as Error).message}`);
  }
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0)
    throw new KustomizeError(`${file}: unsupported field(s) ${unsupported.join(', ')}`);
  return k;
}

/** `repo/name:tag@sha256:…` → the name kustomize matches `images[].name` against. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0] as string;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

export function applyImageRule(image: string, rule: ImageRule): string {
  if (imageName(image) !== rule.name) return image;
  const [withoutDigest, oldDigest] = image.split('@') as [string, string | undefined];
  const oldTag = withoutDigest.slice(imageName(image).length + 1) || undefined;
  const name = rule.newName ?? rule.name;
  if (rule.digest) return `${name}@${rule.digest}`;
  const tag = rule.newTag ?? oldTag;
  return `${name}${tag ? `:${tag}` : ''}${!rule.newTag && oldDigest ? `@${oldDigest}` : ''}`;
}

function podSpecs(object: K8sObject): Record<string, unknown>[] {
  const spec = object.spec as { template?: { spec?: Record<string, unknown> } } | undefined;
  return spec?.template?.spec ? [spec.template.spec] : [];
}

function setImages(object: K8sObject, rules: ImageRule[]): void {
  for (const pod of podSpecs(object)) {
    for (const key of ['containers', 'initContainers']) {
      for (const container of (pod[key] as { image?: string }[] | undefined) ?? []) {
        for (const rule of rules)
          if (container.image) container.image = applyImageRule(container.image, rule);
      }
    }
  }
}

function matches(object: K8sObject, target: NonNullable<PatchRule['target']>): boolean {
  const [group, version] = String(object.apiVersion).includes('/')
    ? String(object.apiVersion).split('/')
    : ['', String(object.apiVersion)];
  return (
    (target.kind === undefined || target.kind === object.kind) &&
    (target.name === undefined || target.name === object.metadata?.name) &&
    (target.group === undefined || target.group === group) &&
    (target.version === undefined || target.version === version)
  );
}

function patchOperations(dir: string, rule: PatchRule): Operation[] {
  const text = rule.path ? readFileSync(join(dir, rule.path), 'utf8') : rule.patch;
  if (text === undefined) throw new KustomizeError(`${dir}: a patch needs path or patch`);
  const ops = parse(text) as unknown;
  if (!Array.isArray(ops)) throw new KustomizeError(`${dir}: only JSON 6902 patches (a list of operations)`);
  return ops as Operation[];
}

function applyPatches(dir: string, objects: K8sObject[], rules: PatchRule[]): K8sObject[] {
  return rules.reduce((current, rule) => {
    if (!rule.target?.kind || !rule.target.name)
      throw new KustomizeError(`${dir}: a patch needs target kind and name`);
    const target = rule.target;
    const ops = patchOperations(dir, rule);
    if (!current.some((o) => matches(o, target)))
      throw new KustomizeError(`${dir}: no resource matches patch target ${target.kind}/${target.name}`);
    return current.map((o) => {
      if (!matches(o, target)) return o;
      try {
        return applyPatch(structuredClone(o), structuredClone(ops), true).newDocument;
      } catch (error) {
        throw new KustomizeError(
          `${dir}: patch on ${target.kind}/${target.name}: ${(error as Error).message}`,
        );
      }
    });
  }, objects);
}

/** The objects `kubectl kustomize <dir>` would print, in file order. */
export function renderKustomization(dir: string): K8sObject[] {
  const root = resolve(dir);
  const k = readKustomization(root);
  let objects: K8sObject[] = [];
  for (const entry of k.resources ?? []) {
    const path = resolve(root, entry);
    if (!existsSync(path)) throw new KustomizeError(`${root}: resource ${entry} does not exist`);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : readYamlDocuments(path)));
  }
  objects = applyPatches(root, objects, k.patches ?? []);
  if (k.namespace) {
    for (const o of objects) {
      if (!CLUSTER_SCOPED.has(String(o.kind))) o.metadata = { ...o.metadata, namespace: k.namespace };
    }
  }
  if (k.images) for (const o of objects) setImages(o, k.images);
  return objects;
}
