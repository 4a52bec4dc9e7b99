import { getTableName, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * A column as `"table"."column"`, for correlated subqueries inside `sql` templates. drizzle renders
 * `${table.column}` unqualified in a single-table select, and an unqualified name inside a subquery
 * binds to the subquery's own table when it has a column of that name (`id`, `resource_id`): the
 * subquery then silently correlates with nothing.
 */
export function qualified(column: AnyPgColumn): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}
