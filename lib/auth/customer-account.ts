import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users, type User } from "@/db/schema";
import { audit } from "@/lib/audit";
import { consentRequired, recordConsent } from "@/lib/pii/consent";

type NewCustomer = Omit<typeof users.$inferInsert, "role" | "passwordHash">;
type UniqueTarget = typeof users.phoneHash | typeof users.wechatOpenid | typeof users.wechatMiniOpenid;

/**
 * The one "first sight of a customer" write shared by SMS-code and WeChat sign-in: the account is
 * inserted unless the unique identity (`target`) is taken, and a new one is audited as
 * `user.registered` with how it arrived. Returns null when another account holds the identity
 * (the caller finds that one): two parallel first sign-ins end in one account. A new account needs
 * the privacy policy accepted on the sign-in form (`consented`), recorded with it; without, the
 * caller's transaction is rolled back by consentRequired().
 */
export async function insertCustomerOnce(
  tx: DbOrTx,
  values: NewCustomer,
  target: UniqueTarget,
  via: "sms_code" | "wechat" | "wechat_mini",
  consented: boolean,
): Promise<User | null> {
  const [inserted] = await tx
    .insert(users)
    .values({ ...values, role: "customer" })
    .onConflictDoNothing({ target })
    .returning();
  if (!inserted) return null;
  if (!consented) throw consentRequired();
  await audit(tx, { actorId: inserted.id, action: "user.registered", entityType: "user", entityId: inserted.id, data: { via } });
  await recordConsent(tx, inserted.id);
  const [withConsent] = await tx.select().from(users).where(eq(users.id, inserted.id));
  return withConsent ?? inserted;
}
