import type {
  Bundle,
  CodeSystem,
  CodeSystemConcept,
  Coding,
  ElementDefinition,
  NamingSystem,
  Quantity,
  Resource,
  StructureDefinition,
  ValueSet,
} from '@medplum/fhirtypes';
import { ICD10_CATALOG } from '../../src/domain/icd10/catalog.ts';
import { TRIAGE_LEVEL_CODE_SYSTEM, TRIAGE_LEVEL_SYSTEM } from '../../src/domain/fhir/terminology.ts';
import { r4Profile, r4Terminology, thoResource } from './fhir-validator.ts';

/** Every Coding and Quantity in a resource tree (extensions and all). */
function collect(value: unknown, codings: Coding[], quantities: Quantity[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, codings, quantities);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  if (typeof record.code === 'string' && typeof record.system === 'string') {
    if ('value' in record) quantities.push(record as Quantity);
    else codings.push(record as Coding);
  }
  for (const v of Object.values(record)) collect(v, codings, quantities);
}

function preferredUri(file: string): string | undefined {
  return thoResource<NamingSystem>(file).uniqueId.find((u) => u.type === 'uri' && u.preferred)?.value;
}

/** The URIs HL7's naming systems give as preferred (test/fixtures/hl7-terminology-r4). */
export const PREFERRED_URI = {
  icd10cm: preferredUri('NamingSystem-icd10CM.json'),
  loinc: preferredUri('NamingSystem-v3-loinc.json'),
  ucum: preferredUri('NamingSystem-v3-ucum.json'),
};

function findConcept(concepts: CodeSystemConcept[] | undefined, code: string): CodeSystemConcept | undefined {
  for (const c of concepts ?? []) {
    if (c.code === code) return c;
    const nested = findConcept(c.concept, code);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * LOINC codes and displays the R4 specification lists for vital signs (ValueSet observation-vitalsignresult). Its
 * compose lists the codes only; the displays are in the table of its generated narrative.
 */
function r4VitalSignCodes(): Map<string, string | undefined> {
  const vs = r4Terminology<ValueSet>('http://hl7.org/fhir/ValueSet/observation-vitalsignresult');
  const codes = vs?.compose?.include.find((i) => i.system === PREFERRED_URI.loinc)?.concept ?? [];
  const displays = new Map(
    [...(vs?.text?.div ?? '').matchAll(/>([\d-]+)<\/a><\/td><td>([^<]+)<\/td>/g)].map((m) => [m[1], m[2]]),
  );
  return new Map(codes.map((c) => [c.code, displays.get(c.code)?.replace(/&amp;/g, '&')]));
}

/**
 * LOINC's pulse-oximetry code. It is not in the R4 core data (R4's oxygensat profile requires 2708-6, which is
 * sent too); US Core's pulse-oximetry profile adds it beside 2708-6, as the mapping does. Display: LOINC's long name.
 */
const PULSE_OXIMETRY = { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' };

function ucumVitalUnits(): Set<string> {
  const vs = r4Terminology<ValueSet>('http://hl7.org/fhir/ValueSet/ucum-vitals-common');
  return new Set(vs?.compose?.include.flatMap((i) => (i.concept ?? []).map((c) => c.code)) ?? []);
}

/** An HL7 code system from R4 4.0.1, except v3-ObservationValue from THO (its AIAST code is younger than R4). */
function hl7CodeSystem(url: string): CodeSystem | undefined {
  return url === 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue'
    ? thoResource<CodeSystem>('CodeSystem-v3-ObservationValue.json')
    : r4Terminology<CodeSystem>(url);
}

/**
 * Every coded value in a bundle checked against the specification's data, as readable problems ([] when all hold):
 * HL7 code systems (code exists, display is the system's), LOINC codes and displays from R4's vital-signs value set,
 * UCUM units from R4's vital-signs units, ICD-10-CM codes from the service catalog under HL7's preferred URI, and
 * triage levels from the service's own code system. Any other system is a problem.
 */
export function terminologyProblems(bundle: Bundle): string[] {
  const codings: Coding[] = [];
  const quantities: Quantity[] = [];
  collect(bundle, codings, quantities);
  const problems: string[] = [];
  const loinc = r4VitalSignCodes();
  const units = ucumVitalUnits();
  for (const c of codings) {
    const label = `${c.system}|${c.code}|${c.display}`;
    if (c.system?.startsWith('http://terminology.hl7.org/CodeSystem/')) {
      const concept = findConcept(hl7CodeSystem(c.system)?.concept, c.code ?? '');
      if (!concept) problems.push(`${label}: no such code in the HL7 code system`);
      else if (concept.display !== c.display)
        problems.push(`${label}: display should be "${concept.display}"`);
    } else if (c.system === PREFERRED_URI.loinc) {
      const display = c.code === PULSE_OXIMETRY.code ? PULSE_OXIMETRY.display : loinc.get(c.code ?? '');
      if (display === undefined) problems.push(`${label}: not an R4 vital-sign LOINC code`);
      else if (display !== c.display) problems.push(`${label}: display should be "${display}"`);
    } else if (c.system === PREFERRED_URI.icd10cm) {
      if (!ICD10_CATALOG.has(c.code ?? '')) problems.push(`${label}: not in the ICD-10-CM catalog`);
    } else if (c.system === TRIAGE_LEVEL_SYSTEM) {
      const concept = findConcept(TRIAGE_LEVEL_CODE_SYSTEM.concept, c.code ?? '');
      if (concept?.display !== c.display) problems.push(`${label}: not a triage level`);
    } else {
      problems.push(`${label}: unchecked code system`);
    }
  }
  for (const q of quantities) {
    if (q.system !== PREFERRED_URI.ucum || !units.has(q.code ?? '')) {
      problems.push(`${q.system}|${q.code}: not a UCUM vital-signs unit`);
    }
  }
  return problems;
}

/** Fixed and pattern values of a profile, grouped by the element they sit under (e.g. one coding slice). */
function fixedValues(profile: StructureDefinition): Map<string, Record<string, unknown>> {
  const groups = new Map<string, Record<string, unknown>>();
  for (const el of profile.snapshot?.element ?? []) {
    const entry = Object.entries(el).find(([k]) => k.startsWith('fixed') || k.startsWith('pattern'));
    if (!entry) continue;
    const id = (el as ElementDefinition).id ?? '';
    const parent = id.slice(0, id.lastIndexOf('.'));
    const group = groups.get(parent) ?? {};
    group[id.slice(id.lastIndexOf('.') + 1)] = entry[1];
    groups.set(parent, group);
  }
  return groups;
}

/** The objects at a profile element id such as `Observation.component:SystolicBP.code.coding:SBPCode`. */
function objectsAt(resource: Resource, id: string): Array<Record<string, unknown>> {
  let current: unknown[] = [resource];
  for (const part of id.split('.').slice(1)) {
    const name = part.split(':')[0] === 'value[x]' ? 'valueQuantity' : (part.split(':')[0] ?? '');
    current = current.flatMap((v) => {
      const next = (v as Record<string, unknown>)[name];
      return next === undefined ? [] : Array.isArray(next) ? next : [next];
    });
  }
  return current as Array<Record<string, unknown>>;
}

/**
 * Checks an Observation against the fixed codes and units of the R4 vital-signs profile it claims, by value
 * (Medplum's validator enforces neither Quantity units nor the bp profile's component slices).
 */
export function profileValueProblems(resource: Resource & { meta?: { profile?: string[] } }): string[] {
  const url = resource.meta?.profile?.[0];
  if (!url) return [];
  const profile = r4Profile(url);
  const problems: string[] = [];
  for (const [id, values] of fixedValues(profile)) {
    const candidates = objectsAt(resource, id);
    const matches = candidates.some((c) => Object.entries(values).every(([k, v]) => c[k] === v));
    if (!matches) problems.push(`${url}: nothing at ${id} has ${JSON.stringify(values)}`);
  }
  return problems;
}
