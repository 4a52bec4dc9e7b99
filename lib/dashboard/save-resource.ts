import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { resources, users, type Resource } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { createResource } from "@/lib/services/create-service";

export type ResourceInput = { id?: string; kind: "staff" | "room"; name: string; userId: string | null; active: boolean };

/** Creates or updates a staff member or room; a linked account must belong to staff. */
export async function saveResource(input: ResourceInput, actorId: string, db: Db = getDb()): Promise<Resource> {
  if (input.userId) {
    const [u] = await db.select({ role: users.role }).from(users).where(eq(users.id, input.userId)).limit(1);
    if (!u || u.role === "customer") throw new AppError("VALIDATION_FAILED", "关联账号须为工作人员 / The linked account must be a staff account");
  }
  if (!input.id) {
    const created = await createResource({ kind: input.kind, name: input.name, userId: input.userId }, actorId, db);
    if (input.active) return created;
    input = { ...input, id: created.id };
  }
  const id = input.id!;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(resources)
      .set({ kind: input.kind, name: input.name, userId: input.userId, active: input.active })
      .where(eq(resources.id, id))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "资源不存在 / Resource not found");
    await audit(tx, { actorId, action: "resource.updated", entityType: "resource", entityId: row.id, data: { name: row.name, active: row.active } });
    return row;
  });
}
