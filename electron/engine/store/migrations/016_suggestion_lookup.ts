/**
 * Migration 16: an evaluation's suggestion, looked up from the evaluation (each evaluation
 * read says whether it tests a suggested edit, and of which evaluation). Never edit this
 * text once released; add the next migration instead.
 */
export const sql = `
CREATE INDEX suggestions_by_reevaluation ON suggestions (reevaluation_id) WHERE reevaluation_id IS NOT NULL;
`;
