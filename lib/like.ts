/**
 * LIKE / ILIKE patterns for a user's search term. `%`, `_` and `\` in the term are escaped with a
 * backslash (PostgreSQL's default LIKE escape character), so "50%" or "a_b" match themselves and
 * not "50 anything" or "axb". Stripping them instead would search for a different term.
 */
const escapeLike = (term: string) => term.replace(/[\\%_]/g, "\\$&");

/** Matches the term anywhere. */
export const containsPattern = (term: string) => `%${escapeLike(term)}%`;

/** Matches values that start with the term. */
export const prefixPattern = (term: string) => `${escapeLike(term)}%`;
