import type { Weights } from '../types.ts';

/**
 * Prior multipliers shared by groups of conditions. A condition's base prior is for the population
 * it occurs in (pregnancy conditions: among pregnant women); these scale it for everyone else.
 */

/** Conditions of the menstrual cycle: absent in pregnancy, rare after the menopause. */
export const MENSTRUATING: Weights = { pregnant: 0, postpartum: 0.2, postmenopausal: 0.02 };

/** Conditions of pregnancy before 20 weeks. Unknown status keeps a small share: she may be pregnant. */
export const EARLY_PREGNANCY: Weights = {
  not_pregnant: 0,
  postpartum: 0,
  postmenopausal: 0,
  possibly_pregnant: 0.08,
  gestation_20_plus: 0,
};

/** Conditions of the second half of pregnancy. */
export const LATER_PREGNANCY: Weights = {
  not_pregnant: 0,
  postpartum: 0,
  postmenopausal: 0,
  possibly_pregnant: 0.01,
  gestation_under_20: 0.05,
};

/** Conditions of the weeks after birth. */
export const POSTPARTUM_ONLY: Weights = {
  pregnant: 0,
  not_pregnant: 0.02,
  possibly_pregnant: 0.02,
  postmenopausal: 0,
};
