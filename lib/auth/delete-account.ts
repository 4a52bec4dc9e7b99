import "server-only";
import { and, eq, gt, inArray } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "@/db/client";
import { accounts, apiKeys, bookings, notifications, sessions, timeslots, users, wechatSubscriptions } from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { withVerifiedCode } from "./otp";
import { verifyPassword } from "./password";
import { endSessions } from "./session-state";

/** How the owner proves it is them once more before the account goes: the password, or a code texted to the account's number. */
export type DeleteReauth = { password: string } | { code: string; ip: string; now?: Date };

/** The name an anonymised account keeps: its bookings still show in the ledger under it. */
export const DELETED_USER_NAME = "已注销用户";

/**
 * Deletes the signed-in person's account (PIPL art. 47), after re-authentication:
 * - refused (409 CONFLICT) while a booking is still ahead (confirmed or awaiting payment): the
 *   customer cancels those first, under the cancellation policy and its refunds, so deleting never
 *   decides a refund by itself;
 * - the user row stays, anonymised (no name, contact, password, WeChat identity, notes or groups;
 *   `deleted_at` set), so bookings and payments keep their customer and every ledger total is unchanged;
 * - every booking's form answers are scrubbed; messages, sign-in accounts, sessions and API tokens
 *   are deleted; sessions end at once. The audit entry "user.deleted" keeps no personal data.
 * All of it in one transaction.
 */
export async function deleteMyAccount(userId: string, reauth: DeleteReauth, db: Db = getDb()): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.deletedAt) throw new AppError("NOT_FOUND", "accountNotFound");
  if ("password" in reauth) {
    if (!user.passwordHash || !(await verifyPassword(reauth.password, user.passwordHash))) {
      throw new AppError("INVALID_CREDENTIALS", "currentPasswordWrong");
    }
    await db.transaction((tx) => erase(tx, userId, new Date(), "password"));
  } else {
    if (!user.phone) throw new AppError("VALIDATION_FAILED", "deleteNeedsPassword");
    await withVerifiedCode(
      { phone: user.phone, code: reauth.code, ip: reauth.ip, now: reauth.now },
      (tx, now) => erase(tx, userId, now, "sms_code"),
      db,
    );
  }
  await endSessions(userId, { tokens: "all" }, db);
}

async function erase(tx: DbOrTx, userId: string, now: Date, via: string): Promise<void> {
  const [locked] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
  if (!locked) throw new AppError("NOT_FOUND", "accountNotFound");
  const upcoming = await tx
    .select({ code: bookings.code })
    .from(bookings)
    .innerJoin(timeslots, eq(timeslots.id, bookings.timeslotId))
    .where(and(eq(bookings.customerId, userId), inArray(bookings.status, ["confirmed", "pending_payment"]), gt(timeslots.startsAt, now)));
  if (upcoming.length > 0) {
    throw new AppError("CONFLICT", "accountHasUpcomingBookings", { bookings: upcoming.map((b) => b.code) }, { count: upcoming.length });
  }
  await tx.update(bookings).set({ fields: {} }).where(eq(bookings.customerId, userId));
  await tx.delete(notifications).where(eq(notifications.userId, userId));
  await tx.delete(wechatSubscriptions).where(eq(wechatSubscriptions.userId, userId));
  await tx.delete(accounts).where(eq(accounts.userId, userId));
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await tx.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.userId, userId));
  await tx
    .update(users)
    .set({
      name: DELETED_USER_NAME,
      email: null,
      emailVerified: null,
      phone: null,
      phoneHash: null,
      phoneVerifiedAt: null,
      image: null,
      passwordHash: null,
      groups: [],
      notes: null,
      wechatOpenid: null,
      wechatMiniOpenid: null,
      wechatUnionid: null,
      deletedAt: now,
    })
    .where(eq(users.id, userId));
  await audit(tx, { actorId: userId, action: "user.deleted", entityType: "user", entityId: userId, data: { via } });
}
