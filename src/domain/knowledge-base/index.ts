export { CONDITIONS, listConditions, type ConditionListing } from './catalog.ts';
export {
  diagnoseFromFindings,
  scoreConditions,
  type KnowledgeBaseAnswer,
  type ScoredCondition,
} from './score.ts';
export type { ConditionDef } from './types.ts';
