import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { describe, expect, it } from "vitest";
import { connection, openPglite, type Db } from "./client";
import { runMigrations } from "./migrate";
import * as schema from "./schema";
import { setupTestDb } from "@/tests/db";

setupTestDb();

/** Catalog facts that define the schema: columns, constraints (not NOT NULL, which PG 18 also lists) and indexes. */
type SchemaFacts = { columns: string[]; constraints: string[]; indexes: string[]; enums: string[] };

async function describeSchema(db: Db): Promise<SchemaFacts> {
  // postgres.js returns an array of rows, PGlite an object with `rows`.
  const rows = async (q: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> => {
    const result = (await db.execute(q)) as unknown;
    return Array.isArray(result) ? result : ((result as { rows: Record<string, unknown>[] }).rows ?? []);
  };
  const list = (r: Record<string, unknown>[]) => r.map((x) => Object.values(x).join(" | ")).sort();
  return {
    columns: list(
      await rows(sql`select table_name, column_name, data_type, udt_name, is_nullable, coalesce(column_default, '') as d
        from information_schema.columns where table_schema = 'public'`),
    ),
    constraints: list(
      await rows(sql`select conrelid::regclass::text as t, conname, contype, pg_get_constraintdef(oid) as def
        from pg_constraint where connamespace = 'public'::regnamespace and contype in ('c','f','p','u','x')`),
    ),
    indexes: list(await rows(sql`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public'`)),
    enums: list(
      await rows(sql`select t.typname, string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_type t
        join pg_enum e on e.enumtypid = t.oid where t.typnamespace = 'public'::regnamespace group by t.typname`),
    ),
  };
}

describe("migration chain", () => {
  it("applies twice without error and has the integrity constraints", async () => {
    await runMigrations(connection());
    const facts = await describeSchema(connection().db);
    const constraints = facts.constraints.join("\n");
    expect(constraints).toContain("timeslots_capacity_check");
    expect(constraints).toMatch(/resource_busy_no_overlap \| x \| EXCLUDE USING gist/);
    expect(facts.indexes.join("\n")).toContain("payments_out_trade_no_key");
  });

  it.runIf(connection().kind === "postgres")("builds the same schema on PGlite as on PostgreSQL", async () => {
    const pglite = openPglite("memory://");
    const other = drizzle(pglite, { schema, casing: "snake_case" }) as unknown as Db;
    await runMigrations({ kind: "pglite", db: other, pglite, close: () => pglite.close() });
    const [pg, lite] = await Promise.all([describeSchema(connection().db), describeSchema(other)]);
    await pglite.close();
    expect(lite.columns).toEqual(pg.columns);
    expect(lite.constraints).toEqual(pg.constraints);
    expect(lite.indexes).toEqual(pg.indexes);
    expect(lite.enums).toEqual(pg.enums);
    expect(pg.columns.length).toBeGreaterThan(100);
  });
});
