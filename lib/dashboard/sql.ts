import "server-only";
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { AppError } from "@/lib/errors";

/**
 * The local date (YYYY-MM-DD) of a timestamptz column in the business zone. The zone is inlined as a
 * literal (after a strict check) so the same expression can appear in SELECT and GROUP BY: two bind
 * parameters would not be recognised by PostgreSQL as the same grouping expression.
 */
export function localDaySql(column: AnyColumn | SQL, timezone: string): SQL<string> {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(timezone)) throw new AppError("VALIDATION_FAILED", `Unknown time zone "${timezone}"`);
  return sql<string>`to_char(${column} at time zone '${sql.raw(timezone)}', 'YYYY-MM-DD')`;
}
