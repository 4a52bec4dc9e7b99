import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  auditLog,
  bookings,
  couponRedemptions,
  invoiceRequests,
  notifications,
  passes,
  passSales,
  passTransactions,
  refunds,
  users,
  waitlistEntries,
  wechatSubscriptions,
  type User,
} from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";

/** A customer who only ever arrived through WeChat: no phone, email or password, so nothing else proves them. */
export const isWechatOnly = (u: Pick<User, "role" | "phone" | "email" | "passwordHash" | "wechatOpenid" | "wechatMiniOpenid">) =>
  u.role === "customer" && !u.phone && !u.email && !u.passwordHash && Boolean(u.wechatOpenid || u.wechatMiniOpenid);

/**
 * One customer across phone and WeChat. The rule: the account that holds a verified phone number
 * is the customer's record. When a WeChat-only customer proves (by SMS code) a number that belongs
 * to another customer, the WeChat identities (openid, mini-program openid, unionid) move to that
 * customer, and so do the WeChat account's bookings, messages and subscribe grants; the WeChat-only
 * account is then deleted, ending its sessions (the caller signs the browser in as the phone
 * account). Anyone else proving a taken number gets PHONE_TAKEN, as before.
 */
export async function mergeWechatAccountInto(tx: DbOrTx, from: User, intoId: string): Promise<User> {
  const [into] = await tx.select().from(users).where(eq(users.id, intoId)).limit(1).for("update");
  if (!into || into.role !== "customer" || !isWechatOnly(from)) throw new AppError("PHONE_TAKEN", "phoneTakenOther");
  if ((into.wechatOpenid && from.wechatOpenid) || (into.wechatMiniOpenid && from.wechatMiniOpenid)) {
    // The number's owner already has another WeChat: two WeChat users are two people.
    throw new AppError("PHONE_TAKEN", "phoneTakenOther");
  }
  await tx.update(bookings).set({ customerId: into.id }).where(eq(bookings.customerId, from.id));
  await tx.update(bookings).set({ createdBy: into.id }).where(eq(bookings.createdBy, from.id));
  await tx.update(refunds).set({ actorId: into.id }).where(eq(refunds.actorId, from.id));
  await tx.update(notifications).set({ userId: into.id }).where(eq(notifications.userId, from.id));
  await tx.update(wechatSubscriptions).set({ userId: into.id }).where(eq(wechatSubscriptions.userId, from.id));
  // Cards, their sales and uses, coupon uses and fapiao requests follow the customer.
  await tx.update(passes).set({ customerId: into.id }).where(eq(passes.customerId, from.id));
  await tx.update(passSales).set({ customerId: into.id }).where(eq(passSales.customerId, from.id));
  await tx.update(passTransactions).set({ actorId: into.id }).where(eq(passTransactions.actorId, from.id));
  await tx.update(couponRedemptions).set({ customerId: into.id }).where(eq(couponRedemptions.customerId, from.id));
  await tx.update(invoiceRequests).set({ requestedBy: into.id }).where(eq(invoiceRequests.requestedBy, from.id));
  // Places in a waitlist too, unless the customer already waits for that slot (that place is kept).
  await tx
    .update(waitlistEntries)
    .set({ customerId: into.id })
    .where(
      and(
        eq(waitlistEntries.customerId, from.id),
        sql`not exists (select 1 from ${waitlistEntries} w where w.customer_id = ${into.id} and w.timeslot_id = ${waitlistEntries.timeslotId})`,
      ),
    );
  await tx.update(auditLog).set({ actorId: into.id }).where(eq(auditLog.actorId, from.id));
  // Deleted before the target takes its identities: they are unique.
  await tx.delete(users).where(eq(users.id, from.id));
  const [merged] = await tx
    .update(users)
    .set({
      wechatOpenid: into.wechatOpenid ?? from.wechatOpenid,
      wechatMiniOpenid: into.wechatMiniOpenid ?? from.wechatMiniOpenid,
      wechatUnionid: into.wechatUnionid ?? from.wechatUnionid,
      phoneVerifiedAt: into.phoneVerifiedAt ?? new Date(),
    })
    .where(eq(users.id, into.id))
    .returning();
  if (!merged) throw new AppError("NOT_FOUND", "accountNotFound");
  await audit(tx, {
    actorId: merged.id,
    action: "user.wechat_merged",
    entityType: "user",
    entityId: merged.id,
    data: { from: from.id, openid: from.wechatOpenid, miniOpenid: from.wechatMiniOpenid },
  });
  return merged;
}
