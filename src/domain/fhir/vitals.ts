import type {
  Coding,
  Observation,
  ObservationComponent,
  Patient,
  Quantity,
  Reference,
} from '@medplum/fhirtypes';
import type { DiagnoseRequest } from '../schemas/diagnose.ts';
import { SYSTEM, UNKNOWN_VALUE, VITAL_SIGNS } from './terminology.ts';

type Vitals = NonNullable<DiagnoseRequest['vitals']>;

const loinc = (code: string, display: string): Coding => ({ system: SYSTEM.loinc, code, display });

interface VitalSpec {
  /** The R4 vital-signs profile the Observation claims, whose fixed LOINC code and UCUM unit it carries. */
  profile: string;
  codings: Coding[];
  text: string;
  ucum: string;
  unit: string;
}

/** Codes and displays as in the R4 vital-signs profiles and their ValueSet observation-vitalsignresult. */
const SINGLE: Record<Exclude<keyof Vitals, 'systolic_bp' | 'diastolic_bp'>, VitalSpec> = {
  heart_rate_bpm: {
    profile: 'http://hl7.org/fhir/StructureDefinition/heartrate',
    codings: [loinc('8867-4', 'Heart rate')],
    text: 'Heart rate',
    ucum: '/min',
    unit: 'beats/minute',
  },
  respiratory_rate: {
    profile: 'http://hl7.org/fhir/StructureDefinition/resprate',
    codings: [loinc('9279-1', 'Respiratory rate')],
    text: 'Respiratory rate',
    ucum: '/min',
    unit: 'breaths/minute',
  },
  temperature_c: {
    profile: 'http://hl7.org/fhir/StructureDefinition/bodytemp',
    codings: [loinc('8310-5', 'Body temperature')],
    text: 'Body temperature',
    ucum: 'Cel',
    unit: '°C',
  },
  oxygen_saturation: {
    profile: 'http://hl7.org/fhir/StructureDefinition/oxygensat',
    // 2708-6 is the code the R4 profile requires; 59408-5 says it was measured by pulse oximetry (as US Core does).
    codings: [
      loinc('2708-6', 'Oxygen saturation in Arterial blood'),
      loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
    ],
    text: 'Oxygen saturation',
    ucum: '%',
    unit: '%',
  },
};

const BLOOD_PRESSURE = {
  profile: 'http://hl7.org/fhir/StructureDefinition/bp',
  coding: loinc('85354-9', 'Blood pressure panel with all children optional'),
  systolic: loinc('8480-6', 'Systolic blood pressure'),
  diastolic: loinc('8462-4', 'Diastolic blood pressure'),
};

function quantity(value: number, ucum: string, unit: string): Quantity {
  return { value, unit, system: SYSTEM.ucum, code: ucum };
}

function vitalSign(
  profile: string,
  code: Observation['code'],
  subject: Reference<Patient>,
  effective: string,
): Observation {
  return {
    resourceType: 'Observation',
    meta: { profile: [profile] },
    status: 'final',
    category: [{ coding: [VITAL_SIGNS], text: 'Vital signs' }],
    code,
    subject,
    // The profiles require a time; the client sends the vitals it has now, so the request time stands for it.
    effectiveDateTime: effective,
  };
}

function pressureComponent(coding: Coding, value: number | undefined): ObservationComponent {
  const code = { coding: [coding], text: coding.display ?? '' };
  // The bp profile requires both components; the half the client did not send is marked absent.
  return value === undefined
    ? { code, dataAbsentReason: { coding: [UNKNOWN_VALUE] } }
    : { code, valueQuantity: quantity(value, 'mm[Hg]', 'mmHg') };
}

/**
 * One Observation per vital sign sent, each conforming to its R4 vital-signs profile. Blood pressure is one
 * panel (85354-9) with systolic and diastolic components, as the R4 bp profile requires, not two Observations.
 */
export function vitalObservations(
  vitals: Vitals | undefined,
  subject: Reference<Patient>,
  effective: string,
): Observation[] {
  if (!vitals) return [];
  const observations: Observation[] = [];
  for (const [key, spec] of Object.entries(SINGLE) as Array<[keyof typeof SINGLE, VitalSpec]>) {
    const value = vitals[key];
    if (value === undefined) continue;
    observations.push({
      ...vitalSign(spec.profile, { coding: spec.codings, text: spec.text }, subject, effective),
      valueQuantity: quantity(value, spec.ucum, spec.unit),
    });
  }
  if (vitals.systolic_bp !== undefined || vitals.diastolic_bp !== undefined) {
    observations.push({
      ...vitalSign(
        BLOOD_PRESSURE.profile,
        { coding: [BLOOD_PRESSURE.coding], text: 'Blood pressure' },
        subject,
        effective,
      ),
      component: [
        pressureComponent(BLOOD_PRESSURE.systolic, vitals.systolic_bp),
        pressureComponent(BLOOD_PRESSURE.diastolic, vitals.diastolic_bp),
      ],
    });
  }
  return observations;
}
