/**
 * Word-level lay language, slang and frequent misspellings, folded onto the word the vocabulary
 * uses before stemming (exact look-ups: short words are never fuzzy-matched, so their common
 * misspellings are listed here). Lay words follow NHS and RCOG patient information and ACOG FAQs.
 */
const GROUPS: Record<string, readonly string[]> = {
  pregnant: [
    'preggo',
    'preggers',
    'preggy',
    'prego',
    'pregnent',
    'pregant',
    'pregnat',
    'pragnant',
    'pergnant',
  ],
  tummy: ['tum', 'tumy', 'tummie', 'tummys', 'stomache', 'stomack', 'stumach', 'stomch', 'tummmy'],
  breast: ['boob', 'boobs', 'boobie', 'boobies', 'brest', 'brests'],
  vomit: [
    'puke',
    'puked',
    'puking',
    'pukes',
    'barf',
    'barfed',
    'barfing',
    'spew',
    'spewing',
    'vommiting',
    'vomitted',
  ],
  poo: ['poop', 'pooped', 'pooping', 'poos', 'poops', 'pooed'],
  toilet: ['loo', 'bathroom', 'restroom', 'washroom', 'lavatory', 'loos'],
  temperature: ['temp', 'temps', 'temprature', 'tempreture', 'temperture', 'temperatue'],
  // "kicks" and "movements" are the same sign to a midwife (RCOG: your baby's movements).
  move: ['kick', 'kicks', 'kicked', 'kicking', 'movement', 'movements', 'moving', 'moved', 'moves'],
  low: ['lower'],
  pelvis: ['pelvic'],
  partner: ['boyfriend', 'girlfriend', 'husband', 'wife', 'fiance', 'fiancee', 'spouse', 'hubby'],
  vagina: ['privates', 'vajayjay', 'vjj', 'coochie', 'virgina', 'vigina', 'vagine', 'vaginia'],
  underwear: ['knickers', 'panties', 'undies', 'pants', 'underpants'],
  tampon: ['tampax'],
  period: ['peroid', 'perioud', 'preiod', 'perod', 'piriod', 'periood', 'periode'],
  periods: ['peroids', 'preiods', 'perods'],
  pain: ['pian', 'pane', 'painn'],
  blood: ['blod', 'bloood', 'bloods'],
  bleeding: ['bleading', 'bleedin', 'bledding', 'bleding', 'bleeeding'],
  painful: ['painfull', 'painfu'],
  diarrhoea: ['diarrea', 'diarhea', 'diahrea', 'diarhoea', 'diarrhoe', 'diarreah', 'diorrhea'],
  dizzy: ['dizy', 'dizzie', 'dizzey'],
  pee: ['peed', 'weed', 'piss', 'pissing', 'urinating'],
  caesarean: ['caeserean', 'cesarian', 'ceasarean', 'ceaserean', 'caesarian', 'cesarean', 'section'],
  smell: [
    'stinky',
    'stinking',
    'stunk',
    'smelt',
    'pong',
    'pongs',
    'pongy',
    'whiffy',
    'reeks',
    'reek',
    'reeking',
  ],
  // Colour words with -ish/-y keep their colour: "pinkish wee", "pinky brown", "yellowy discharge".
  grey: ['gray', 'greyish', 'grayish', 'greyey'],
  pink: ['pinkish', 'pinky'],
  red: ['reddish', 'reddy'],
  brown: ['brownish', 'browny'],
  yellow: ['yellowish', 'yellowy'],
  green: ['greenish', 'greeny'],
  disoriented: ['disorientated'],
  cramping: ['crampy'],
  nauseous: ['nausious', 'nauseus', 'nauseaous', 'nautious'],
  discharge: ['dischage', 'discarge', 'dicharge', 'dischrge'],
  fluey: ['flu-ish', 'fluish'],
};

const LAY_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries(GROUPS).flatMap(([target, words]) => words.map((w) => [w, target] as const)),
);

/** British and American spellings folded onto one form: ae/oe → e, -our → -or, -ise → -ize. */
function spellingVariant(word: string): string {
  let w = word;
  if (w.length >= 6 && /[ao]e/.test(w)) w = w.replace(/(^|[^aeiou])(?:ae|oe)/g, '$1e');
  w = w.replace(/^([a-z]{3,})our(s|ed|ing)?$/, '$1or$2');
  w = w.replace(/^([a-z]{3,})is(e|ed|es|ing|ation)$/, '$1iz$2');
  return w;
}

/** The word the vocabulary uses for a lay, misspelt or regional form (the word itself otherwise). */
export function layWord(raw: string): string {
  return LAY_WORDS.get(raw) ?? spellingVariant(raw);
}
