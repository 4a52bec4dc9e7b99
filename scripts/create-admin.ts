import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { closeDb, connection } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { createAdmin } from "@/lib/auth/create-admin";
import { isAppError } from "@/lib/errors";

/**
 * `npm run admin:create -- --email boss@example.com --name 王店长 [--phone 138…]`: the first admin of a
 * production install. The password is read from standard input (a prompt on a terminal, or piped:
 * `printf '%s\n' "$PW" | npm run admin:create -- …`), never from the command line, where `ps` shows it.
 */
const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, phone: { type: "string" } } });
if (!values.email || !values.name) {
  console.error("usage: npm run admin:create -- --email <email> --name <name> [--phone <mobile>]  (password on stdin)");
  process.exit(2);
}
const rl = createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stdout : undefined });
const password = (await rl.question(process.stdin.isTTY ? "Password (12+ characters recommended): " : "")).trim();
rl.close();

const conn = connection();
try {
  await runMigrations(conn);
  const admin = await createAdmin(conn.db, { email: values.email, name: values.name, phone: values.phone, password });
  console.log(`admin ready: ${admin.email} (${admin.id})`);
} catch (e) {
  console.error(isAppError(e) ? `not created: ${e.message}` : e);
  process.exitCode = 1;
} finally {
  await closeDb();
}
