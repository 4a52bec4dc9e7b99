import { closeDb, connection } from "@/db/client";
import { runMigrations } from "@/db/migrate";

const conn = connection();
await runMigrations(conn);
console.log(`migrations applied (${conn.kind})`);
await closeDb();
