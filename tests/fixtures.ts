import { asc, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  businesses,
  notifications,
  otpCodes,
  resources,
  services,
  timeslots,
  users,
  type Business,
  type Service,
  type Timeslot,
  type User,
  type Notification,
} from "@/db/schema";
import { AppError } from "@/lib/errors";
import { uniq } from "./db";
import { phoneColumns, phoneHash } from "@/lib/pii";
import { hashCode } from "@/lib/auth/otp";

/** The business tests attach to: the first one, created on demand with a permissive policy. */
export async function ensureBusiness(db: Db): Promise<Business> {
  const [existing] = await db.select().from(businesses).orderBy(asc(businesses.createdAt)).limit(1);
  if (existing) return existing;
  const [created] = await db
    .insert(businesses)
    .values({ slug: uniq("biz"), name: "测试商家", timezone: "Asia/Shanghai", policy: { minNoticeMin: 0, maxAdvanceDays: 3650 } })
    .onConflictDoNothing()
    .returning();
  return created ?? ensureBusiness(db);
}

export async function makeCustomer(db: Db, extra: Partial<typeof users.$inferInsert> = {}): Promise<User> {
  const [u] = await db
    .insert(users)
    .values({
      name: uniq("客"),
      email: `${uniq("c")}@test.local`,
      role: "customer",
      passwordHash: null,
      ...extra,
      ...(extra.phone ? phoneColumns(extra.phone) : {}),
    })
    .returning();
  if (!u) throw new Error("customer not created");
  return u;
}

export async function makeResource(db: Db, kind: "staff" | "room" = "staff") {
  const business = await ensureBusiness(db);
  const [r] = await db
    .insert(resources)
    .values({ businessId: business.id, kind, name: uniq("res") })
    .returning();
  if (!r) throw new Error("resource not created");
  return r;
}

/** A service with explicit rules (policy overrides); defaults: free, 60 min, capacity 1. */
export async function makeService(db: Db, extra: Partial<typeof services.$inferInsert> = {}): Promise<Service> {
  const business = await ensureBusiness(db);
  const [s] = await db
    .insert(services)
    .values({
      businessId: business.id,
      name: uniq("服务"),
      durationMin: 60,
      priceFen: 0,
      capacity: 1,
      rules: { minNoticeMin: 0, maxAdvanceDays: 3650 },
      ...extra,
    })
    .returning();
  if (!s) throw new Error("service not created");
  return s;
}

/** A slot `hoursFromNow` ahead (default: a random day 30-300 days out, so tests never share one). */
export async function makeSlot(db: Db, service: Service, opts: { startsAt?: Date; capacity?: number } = {}): Promise<Timeslot> {
  const startsAt =
    opts.startsAt ?? new Date(Date.now() + (30 + Math.floor(Math.random() * 270)) * 86_400_000 + Math.floor(Math.random() * 1440) * 60_000);
  startsAt.setSeconds(0, 0);
  const [t] = await db
    .insert(timeslots)
    .values({
      serviceId: service.id,
      resourceId: service.resourceId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + service.durationMin * 60_000),
      capacity: opts.capacity ?? service.capacity,
    })
    .returning();
  if (!t) throw new Error("slot not created");
  return t;
}

/** "OK", or the AppError code the promise rejected with (anything else is rethrown). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

/** The template data of a booking message, for outbox and delivery tests. */
export const bookingMessageData = () => ({
  bookingCode: "ABCD2345",
  customerName: "张三",
  serviceName: "推拿",
  businessName: "悦康",
  startsAt: new Date(Date.now() + 86_400_000).toISOString(),
  endsAt: new Date(Date.now() + 90_000_000).toISOString(),
});

/** The outbox rows addressed to this phone or email (the recipient column is encrypted: compared after reading). */
export async function messagesTo(db: Db, recipient: string): Promise<Notification[]> {
  const rows = await db.select().from(notifications).where(isNotNull(notifications.recipient));
  return rows.filter((r) => r.recipient === recipient);
}

/** A valid SMS code for a (normalised) number, stored as POST /api/v1/auth/otp would have texted it. */
export async function storedCodeFor(db: Db, phone: string): Promise<string> {
  const code = String(100000 + Math.floor(Math.random() * 900000));
  await db
    .insert(otpCodes)
    .values({ phoneHash: phoneHash(phone), codeHash: hashCode(phone, code), expiresAt: new Date(Date.now() + 300_000) });
  return code;
}
