import { defineConfig } from "drizzle-kit";

// Generation only; migrations are applied by db/migrate.ts on both drivers.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  casing: "snake_case",
});
