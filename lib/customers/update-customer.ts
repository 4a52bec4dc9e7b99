import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { users } from "@/db/schema";
import { audit } from "@/lib/audit";
import { forgetUserTokens } from "@/lib/auth/api-tokens";
import { AppError } from "@/lib/errors";

/** Staff notes and customer groups ("member", "vip"…): groups decide restricted slots and services. */
export async function updateCustomer(
  input: { customerId: string; notes: string; groups: string[] },
  actorId: string,
  db: Db = getDb(),
): Promise<void> {
  const groups = [...new Set(input.groups.map((g) => g.trim()).filter(Boolean))];
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ groups: users.groups, notes: users.notes })
      .from(users)
      .where(and(eq(users.id, input.customerId), eq(users.role, "customer")));
    if (!before) throw new AppError("NOT_FOUND", "customerNotFound");
    await tx
      .update(users)
      .set({ notes: input.notes || null, groups })
      .where(eq(users.id, input.customerId));
    await audit(tx, {
      actorId,
      action: "customer.updated",
      entityType: "user",
      entityId: input.customerId,
      data: { groups: { before: before.groups, after: groups }, notesChanged: (before.notes ?? "") !== input.notes },
    });
  });
  // Groups decide what the customer may book: their API tokens read the row afresh.
  await forgetUserTokens(db, input.customerId);
}
