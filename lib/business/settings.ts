import "server-only";
import { and, asc, eq, inArray, ne, or, sql } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "@/db/client";
import { businesses, users, type User } from "@/db/schema";
import { audit } from "@/lib/audit";
import { forgetUserTokens } from "@/lib/auth/api-tokens";
import { currentBusiness } from "@/lib/business/queries";
import { AppError } from "@/lib/errors";
import { normalizePhone } from "@/lib/validations/phone";
import { invalidateCatalog } from "@/lib/cache/catalog";
import { maskedPhone, maskPhone, phoneIs } from "@/lib/pii";

export type StaffAccount = Pick<User, "id" | "name" | "email" | "phone" | "role" | "createdAt">;

export async function listStaffAccounts(db: DbOrTx): Promise<StaffAccount[]> {
  return db
    .select({ id: users.id, name: users.name, email: users.email, phone: maskedPhone(), role: users.role, createdAt: users.createdAt })
    .from(users)
    .where(inArray(users.role, ["staff", "admin"]))
    .orderBy(asc(users.role), asc(users.name));
}

/**
 * Grants or takes away staff/admin by email or phone. An admin cannot change their own role, and the
 * last admin cannot be demoted: someone must always be able to manage accounts.
 */
export async function setUserRole(
  input: { identifier: string; role: User["role"] },
  actorId: string,
  db: Db = getDb(),
): Promise<StaffAccount> {
  const id = normalizePhone(input.identifier) ?? input.identifier.trim().toLowerCase();
  const account = await db.transaction(async (tx) => {
    const [user] = await tx
      .select()
      .from(users)
      .where(or(eq(users.email, id), phoneIs(id)))
      .limit(1);
    if (!user) throw new AppError("NOT_FOUND", "accountNotFound");
    if (user.id === actorId) throw new AppError("VALIDATION_FAILED", "ownRole");
    if (user.role === "admin" && input.role !== "admin") {
      const [others] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(users)
        .where(and(eq(users.role, "admin"), ne(users.id, user.id)));
      if (Number(others?.n ?? 0) === 0) throw new AppError("INVALID_STATE", "keepOneAdmin");
    }
    const [row] = await tx.update(users).set({ role: input.role }).where(eq(users.id, user.id)).returning();
    if (!row) throw new AppError("NOT_FOUND", "accountNotFound");
    await audit(tx, {
      actorId,
      action: "user.role_changed",
      entityType: "user",
      entityId: row.id,
      data: { from: user.role, to: row.role },
    });
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      phone: row.phone ? maskPhone(row.phone) : null,
      role: row.role,
      createdAt: row.createdAt,
    };
  });
  // Their API tokens carry the role: the next request reads it afresh.
  await forgetUserTokens(db, account.id);
  return account;
}

export type BusinessSettingsInput = {
  name: string;
  timezone: string;
  locales: string[];
  defaultLocale: string;
  phone?: string;
  address?: string;
  /** WeChat subscribe-message templates; unset: that message is not sent by WeChat. */
  wechatTemplateConfirmed?: string;
  wechatTemplateReminder?: string;
};

/** Name, time zone and languages of the business. A time zone change applies to slots generated afterwards. */
export async function updateBusinessSettings(input: BusinessSettingsInput, actorId: string, db: Db = getDb()): Promise<void> {
  const business = await currentBusiness(db);
  await db.transaction(async (tx) => {
    await tx
      .update(businesses)
      .set({
        name: input.name,
        timezone: input.timezone,
        locales: input.locales,
        defaultLocale: input.defaultLocale,
        phone: input.phone ?? null,
        address: input.address ?? null,
        wechatTemplates: {
          ...(input.wechatTemplateConfirmed ? { booking_confirmed: input.wechatTemplateConfirmed } : {}),
          ...(input.wechatTemplateReminder ? { reminder: input.wechatTemplateReminder } : {}),
        },
      })
      .where(eq(businesses.id, business.id));
    await audit(tx, {
      actorId,
      action: "business.updated",
      entityType: "business",
      entityId: business.id,
      data: {
        before: { name: business.name, timezone: business.timezone, locales: business.locales, wechatTemplates: business.wechatTemplates },
        after: {
          name: input.name,
          timezone: input.timezone,
          locales: input.locales,
          wechatTemplates: { booking_confirmed: input.wechatTemplateConfirmed, reminder: input.wechatTemplateReminder },
        },
      },
    });
  });
  await invalidateCatalog();
}
