/**
 * The drug table behind medication safety: drug classes with their members, aliases and
 * alternatives, the anticoagulants that rule NSAIDs out, and the few over-the-counter self-care
 * medicines the service may name (pharmacy medicines only, adult doses). Data only; the rules that
 * read it are in safety.ts.
 *
 * Sources: BNF (bnf.nice.org.uk) monographs for each class (hypersensitivity, pregnancy,
 * contra-indications); NICE CG183 Drug allergy; NICE CKS Dysmenorrhoea, Candida – female genital,
 * Urinary tract infection (lower) – women / NICE NG109, Bacterial vaginosis.
 */
import type { Medication } from './medication.ts';

export interface Alternative {
  /** Generic name, so an alternative that is itself excluded is dropped. */
  readonly drug: string;
  readonly label: string;
}

export interface DrugClass {
  readonly id: string;
  readonly name: string;
  /** Generic names, lower case. */
  readonly members: readonly string[];
  /** Other words meaning the class or one of its members (class names, brands, spellings). */
  readonly aliases: readonly string[];
  readonly alternatives: readonly Alternative[];
}

const MACROLIDE_ALT: Alternative = {
  drug: 'clarithromycin',
  label: 'Clarithromycin or erythromycin (macrolides), if a clinician prescribes an antibiotic',
};
const DOXYCYCLINE_ALT: Alternative = {
  drug: 'doxycycline',
  label: 'Doxycycline (not in pregnancy), if a clinician prescribes an antibiotic',
};

export const DRUG_CLASSES: readonly DrugClass[] = [
  {
    id: 'penicillins',
    name: 'Penicillins',
    members: [
      'amoxicillin',
      'ampicillin',
      'co-amoxiclav',
      'flucloxacillin',
      'phenoxymethylpenicillin',
      'benzylpenicillin',
      'piperacillin',
      'pivmecillinam',
      'temocillin',
    ],
    aliases: [
      'penicillin',
      'penicillins',
      'amoxycillin',
      'augmentin',
      'amoxil',
      'amoxiclav',
      'penicillin v',
      'penicillin g',
    ],
    alternatives: [MACROLIDE_ALT, DOXYCYCLINE_ALT],
  },
  {
    id: 'cephalosporins',
    name: 'Cephalosporins',
    members: [
      'cefalexin',
      'cefadroxil',
      'cefaclor',
      'cefuroxime',
      'cefixime',
      'cefotaxime',
      'ceftriaxone',
      'ceftazidime',
      'cefradine',
    ],
    aliases: ['cephalosporin', 'cephalosporins', 'cephalexin', 'keflex', 'rocephin'],
    alternatives: [MACROLIDE_ALT, DOXYCYCLINE_ALT],
  },
  {
    id: 'macrolides',
    name: 'Macrolides',
    members: ['azithromycin', 'clarithromycin', 'erythromycin'],
    aliases: ['macrolide', 'macrolides', 'zithromax', 'klaricid'],
    alternatives: [
      DOXYCYCLINE_ALT,
      { drug: 'amoxicillin', label: 'Amoxicillin (unless penicillin-allergic), if prescribed' },
    ],
  },
  {
    id: 'tetracyclines',
    name: 'Tetracyclines',
    members: ['doxycycline', 'lymecycline', 'minocycline', 'oxytetracycline', 'tetracycline'],
    aliases: ['tetracyclines'],
    alternatives: [MACROLIDE_ALT],
  },
  {
    id: 'sulfonamides',
    name: 'Sulfonamides',
    members: ['co-trimoxazole', 'sulfamethoxazole', 'sulfadiazine', 'sulfasalazine'],
    aliases: [
      'sulfa',
      'sulpha',
      'sulfonamide',
      'sulfonamides',
      'sulphonamide',
      'sulphonamides',
      'bactrim',
      'septrin',
      'septra',
    ],
    alternatives: [
      { drug: 'nitrofurantoin', label: 'Nitrofurantoin for a urinary infection, if prescribed' },
    ],
  },
  {
    id: 'nitroimidazoles',
    name: 'Nitroimidazoles',
    members: ['metronidazole', 'tinidazole'],
    aliases: ['flagyl', 'nitroimidazole', 'nitroimidazoles'],
    alternatives: [
      {
        drug: 'clindamycin',
        label: 'Clindamycin 2% vaginal cream for bacterial vaginosis, if prescribed (NICE CKS)',
      },
    ],
  },
  {
    id: 'azoles',
    name: 'Azole antifungals',
    members: ['clotrimazole', 'fluconazole', 'miconazole', 'econazole', 'itraconazole', 'ketoconazole'],
    aliases: ['azole', 'azoles', 'imidazole', 'imidazoles', 'canesten', 'diflucan', 'daktarin'],
    alternatives: [{ drug: 'nystatin', label: 'Nystatin (non-azole antifungal), if prescribed' }],
  },
  {
    id: 'fluoroquinolones',
    name: 'Fluoroquinolones',
    members: ['ciprofloxacin', 'ofloxacin', 'levofloxacin', 'moxifloxacin'],
    aliases: ['quinolone', 'quinolones', 'fluoroquinolone', 'fluoroquinolones', 'cipro'],
    alternatives: [],
  },
  {
    id: 'nsaids',
    name: 'NSAIDs (including aspirin)',
    members: [
      'ibuprofen',
      'naproxen',
      'mefenamic acid',
      'diclofenac',
      'aspirin',
      'ketoprofen',
      'celecoxib',
      'etoricoxib',
    ],
    aliases: [
      'nsaid',
      'nsaids',
      'anti inflammatory',
      'anti inflammatories',
      'antiinflammatory',
      'nurofen',
      'advil',
      'motrin',
      'brufen',
      'ponstan',
      'voltarol',
      'voltaren',
      'feminax ultra',
      'acetylsalicylic acid',
    ],
    alternatives: [{ drug: 'paracetamol', label: 'Paracetamol for pain' }],
  },
  {
    id: 'paracetamol',
    name: 'Paracetamol',
    members: ['paracetamol'],
    aliases: ['acetaminophen', 'tylenol', 'panadol', 'calpol', 'co-codamol'],
    alternatives: [
      { drug: 'ibuprofen', label: 'Ibuprofen for pain, if there is no NSAID allergy and no pregnancy' },
    ],
  },
];

export const ANTICOAGULANTS = [
  'warfarin',
  'apixaban',
  'rivaroxaban',
  'edoxaban',
  'dabigatran',
  'heparin',
  'enoxaparin',
  'dalteparin',
  'tinzaparin',
  'clopidogrel',
  'ticagrelor',
  'prasugrel',
];

export interface Suggestion {
  readonly drug: string;
  readonly medication: Medication;
  /** Shown when pregnancy has not been ruled out. */
  readonly pregnancyNote?: string;
  readonly maxAge?: number;
}

const IBUPROFEN: Suggestion = {
  drug: 'ibuprofen',
  medication: {
    name: 'Ibuprofen',
    dosage: '200–400 mg',
    frequency: 'Up to three times a day, with or after food (no more than 1,200 mg in 24 hours)',
    duration: 'Only while the pain lasts, up to 3 days',
    reason: 'Pain relief; NSAIDs are the first choice for period pain (NICE CKS Dysmenorrhoea)',
    notes:
      'Do not take with other NSAIDs or aspirin, or if you have had a stomach ulcer, kidney disease or asthma made worse by NSAIDs.',
  },
  pregnancyNote: 'Do not take if you are or could be pregnant.',
};

const PARACETAMOL: Suggestion = {
  drug: 'paracetamol',
  medication: {
    name: 'Paracetamol',
    dosage: '500 mg–1 g',
    frequency: 'Every 4–6 hours, no more than 4 g (8 × 500 mg) in 24 hours',
    duration: 'Only while the pain lasts',
    reason: 'Pain relief (NICE CKS)',
    notes:
      'Do not take other medicines that contain paracetamol at the same time. Use a lower dose if you weigh under 50 kg.',
  },
};

const CLOTRIMAZOLE: Suggestion = {
  drug: 'clotrimazole',
  medication: {
    name: 'Clotrimazole 500 mg vaginal pessary',
    dosage: '500 mg',
    frequency: 'Once, at night',
    duration: 'Single dose',
    reason: 'Treatment of vaginal thrush (NICE CKS Candida – female genital)',
    notes:
      'From a pharmacy. Use this or fluconazole, not both. See a doctor if symptoms are not better in 7 days or come back often.',
  },
  pregnancyNote: 'If you are or could be pregnant, speak to a midwife, GP or pharmacist first.',
};

const FLUCONAZOLE: Suggestion = {
  drug: 'fluconazole',
  medication: {
    name: 'Fluconazole 150 mg capsule',
    dosage: '150 mg',
    frequency: 'Once, by mouth',
    duration: 'Single dose',
    reason: 'Treatment of vaginal thrush (NICE CKS Candida – female genital)',
    notes:
      'From a pharmacy for ages 16–60. Use this or a clotrimazole pessary, not both. Not when breastfeeding.',
  },
  pregnancyNote: 'Do not take if you are or could be pregnant.',
  maxAge: 60,
};

/** ICD-10 codes with a self-care medicine, in order of preference. Prescription-only treatments are never named. */
export const SELF_CARE_MEDICINES: ReadonlyMap<string, readonly Suggestion[]> = new Map([
  ['N94.4', [IBUPROFEN, PARACETAMOL]], // primary dysmenorrhoea
  ['N94.6', [IBUPROFEN, PARACETAMOL]], // dysmenorrhoea, unspecified
  ['N94.0', [PARACETAMOL, IBUPROFEN]], // mittelschmerz
  ['N30.00', [PARACETAMOL, IBUPROFEN]], // acute cystitis: analgesia while it settles (NICE NG109)
  ['B37.31', [CLOTRIMAZOLE, FLUCONAZOLE]], // vulvovaginal candidiasis
]);
