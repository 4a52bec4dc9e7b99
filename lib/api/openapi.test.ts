import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bookingOperations } from "@/lib/api/operations/booking";
import { dashboardOperations } from "@/lib/api/operations/staff";
import { authOperations } from "@/lib/api/operations/auth";
import { notificationOperations } from "@/lib/api/operations/notifications";
import { paymentOperations } from "@/lib/api/operations/payments";
import { openApiDocument } from "./openapi";
import { accountOperations } from "@/lib/api/operations/account";

/** Every route handler under app/api/v1, as an OpenAPI path ("[id]" → "{id}"). */
function routePaths(dir = path.join(process.cwd(), "app/api/v1"), prefix = "/api/v1"): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name === "route.ts") out.push(prefix);
    if (entry.isDirectory()) out.push(...routePaths(path.join(dir, entry.name), `${prefix}/${entry.name.replace(/^\[(\w+)\]$/, "{$1}")}`));
  }
  return out;
}

describe("OpenAPI document", () => {
  const doc = openApiDocument([
    ...bookingOperations,
    ...paymentOperations,
    ...notificationOperations,
    ...dashboardOperations,
    ...accountOperations,
    ...authOperations,
  ]);

  it("describes every /api/v1 route handler", () => {
    const missing = routePaths().filter((p) => p !== "/api/v1/openapi.json" && !(p in doc.paths));
    expect(missing).toEqual([]);
  });

  it("declares path parameters and request bodies from the zod schemas", () => {
    const cancel = doc.paths["/api/v1/bookings/{id}/cancel"]?.post as { parameters: { name: string; in: string }[] };
    expect(cancel.parameters).toContainEqual(expect.objectContaining({ name: "id", in: "path" }));
    const create = doc.paths["/api/v1/bookings"]?.post as {
      requestBody: { content: { "application/json": { schema: { properties: object } } } };
    };
    expect(Object.keys(create.requestBody.content["application/json"].schema.properties)).toEqual(
      expect.arrayContaining(["timeslotId", "seats", "fields"]),
    );
  });
});
