import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  businesses,
  coupons,
  passes,
  passPlans,
  resources,
  schedules,
  serviceStaff,
  services,
  timeslots,
  users,
  waitlistEntries,
  type Business,
  type WeeklyHours,
} from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { loadSlotContext } from "@/lib/booking/context";
import { generateTimeslots } from "@/lib/booking/generate-timeslots";
import { reserve } from "@/lib/booking/reserve";
import { demoAccounts } from "@/lib/demo-accounts";
import { sellPassAtDesk } from "@/lib/passes/sell-pass";
import { phoneColumns } from "@/lib/pii";
import { PRIVACY_POLICY_VERSION } from "@/lib/pii/consent";

const weekdays = (ranges: { start: string; end: string }[]): WeeklyHours => ({
  mon: ranges,
  tue: ranges,
  wed: ranges,
  thu: ranges,
  fri: ranges,
});

/**
 * Demo data: one business, staff and a room, a 1:1 service with a deposit, an
 * 8-seat group class and a free consultation, a haircut three stylists offer (选技师, each with
 * their own hours), four weeks of slots, and a free 4-seat pilates
 * class whose next slot is full with two people on its waitlist (候补); with `demoAccounts`
 * (the demo and the tests only, SEED_DEMO_ACCOUNTS=1) also the demo accounts, whose
 * password is public. Production creates its first admin with `npm run admin:create`.
 * Safe to run twice: existing rows are kept, slots are topped up.
 */
export async function seed(
  db: Db,
  now = new Date(),
  opts: { demoAccounts?: boolean } = {},
): Promise<{ business: string; slots: number; demoAccounts: number }> {
  if (opts.demoAccounts) await seedDemoAccounts(db);
  const [staffUser] = opts.demoAccounts ? await db.select().from(users).where(eq(users.email, demoAccounts[1].email)) : [];

  let [business] = await db.select().from(businesses).where(eq(businesses.slug, "demo"));
  if (!business) {
    [business] = await db
      .insert(businesses)
      .values({
        slug: "demo",
        name: "悦康健康工作室",
        timezone: "Asia/Shanghai",
        phone: "021-5555-0100",
        address: "上海市徐汇区漕溪北路 88 号 3 楼",
        policy: {
          minNoticeMin: 60,
          maxAdvanceDays: 30,
          cancelDeadlineHours: 2,
          refundTiers: [
            { minHoursBefore: 24, percent: 100 },
            { minHoursBefore: 2, percent: 50 },
            { minHoursBefore: 0, percent: 0 },
          ],
          maxActiveBookingsPerCustomer: 5,
          holdMinutes: 15,
        },
      })
      .returning();
    if (!business) throw new Error("business not created");

    const [doctor, room] = await db
      .insert(resources)
      .values([
        { businessId: business.id, kind: "staff", name: "李医生", userId: staffUser?.id ?? null },
        { businessId: business.id, kind: "room", name: "瑜伽室 A" },
      ])
      .returning();
    if (!doctor || !room) throw new Error("resources not created");

    const created = await db
      .insert(services)
      .values([
        {
          businessId: business.id,
          kind: "appointment",
          name: "中医推拿（60 分钟）",
          nameEn: "Tuina massage (60 min)",
          description: "一对一推拿理疗，由李医生亲自操作。预约需付 ¥50 定金，到店付余款。",
          descriptionEn: "One-to-one tuina therapy with Dr Li. A ¥50 deposit books it; the rest is paid at the clinic.",
          durationMin: 60,
          priceFen: 28800,
          depositFen: 5000,
          capacity: 1,
          bufferAfterMin: 15,
          rules: { payment: { mode: "deposit" } },
          fields: [
            {
              key: "symptoms",
              type: "textarea",
              label: { "zh-CN": "不适部位或症状", en: "Where does it hurt?" },
              required: true,
              max: 500,
            },
            { key: "firstVisit", type: "checkbox", label: { "zh-CN": "首次到店", en: "First visit" } },
          ],
        },
        {
          businessId: business.id,
          kind: "class",
          name: "晨间流瑜伽小班课",
          nameEn: "Morning flow yoga (small group)",
          description: "8 人小班，适合初中级学员，请自带瑜伽垫。",
          descriptionEn: "Small group of 8 for beginners and intermediates; please bring your own mat.",
          durationMin: 75,
          priceFen: 9900,
          depositFen: 0,
          capacity: 8,
          resourceId: room.id,
          rules: { payment: { mode: "full" } },
          fields: [
            {
              key: "level",
              type: "select",
              label: { "zh-CN": "练习水平", en: "Level" },
              required: true,
              options: [
                { value: "beginner", label: { "zh-CN": "初级", en: "Beginner" } },
                { value: "intermediate", label: { "zh-CN": "中级", en: "Intermediate" } },
              ],
            },
          ],
        },
        {
          businessId: business.id,
          kind: "consultation",
          name: "免费健康咨询（20 分钟）",
          nameEn: "Free health consultation (20 min)",
          description: "线上或到店均可，了解适合你的调理方案。",
          descriptionEn: "Online or at the clinic: find the care plan that suits you.",
          durationMin: 20,
          priceFen: 0,
          depositFen: 0,
          capacity: 1,
          fields: [{ key: "topic", type: "text", label: { "zh-CN": "想咨询的问题", en: "What would you like to ask?" }, max: 200 }],
        },
      ])
      .returning();
    const [tuina, yoga, consult] = created;
    if (!tuina || !yoga || !consult) throw new Error("services not created");
    // Dr Li offers the tuina (选技师 shows one person; their bookings keep them in one place).
    await db.insert(serviceStaff).values({ serviceId: tuina.id, resourceId: doctor.id });

    await db.insert(schedules).values([
      {
        serviceId: tuina.id,
        weeklyHours: {
          ...weekdays([
            { start: "09:00", end: "12:00" },
            { start: "13:30", end: "18:00" },
          ]),
          sat: [{ start: "10:00", end: "16:00" }],
        },
        breaks: { wed: [{ start: "15:00", end: "15:30" }] },
        slotIntervalMin: 75,
      },
      {
        serviceId: yoga.id,
        weeklyHours: {
          tue: [{ start: "07:00", end: "08:15" }],
          thu: [{ start: "07:00", end: "08:15" }],
          sat: [{ start: "09:00", end: "10:15" }],
        },
        slotIntervalMin: 75,
      },
      {
        serviceId: consult.id,
        weeklyHours: weekdays([
          { start: "10:00", end: "12:00" },
          { start: "14:00", end: "17:00" },
        ]),
        slotIntervalMin: 30,
      },
    ]);
  }

  const pilates = await ensurePilates(db, business);
  await ensureSalon(db, business);
  let slots = 0;
  const all = await db.select({ id: services.id }).from(services).where(eq(services.businessId, business.id));
  for (const s of all) slots += (await generateTimeslots(db, s.id, { days: 28, now })).created;
  await fillWithWaitlist(db, pilates, now);
  await seedCardsAndCoupons(db, business.id, staffUser?.id ?? null, opts.demoAccounts ?? false);
  return { business: business.id, slots, demoAccounts: opts.demoAccounts ? demoAccounts.length : 0 };
}

async function seedDemoAccounts(db: Db): Promise<void> {
  const password = await hashPassword(demoAccounts[0].password);
  for (const a of demoAccounts) {
    await db
      .insert(users)
      .values({
        name: a.name,
        email: a.email,
        ...phoneColumns(a.phone),
        role: a.role,
        passwordHash: password,
        groups: a.role === "customer" ? ["member"] : [],
        // The demo customer has accepted the privacy policy (shown under /me/settings "My data").
        ...(a.role === "customer" ? { privacyConsentVersion: PRIVACY_POLICY_VERSION, privacyConsentAt: new Date() } : {}),
      })
      .onConflictDoNothing();
  }
}

const PILATES = "普拉提小班课（候补示例）";

/** The waitlist demo's class: free, 4 seats, weekday evenings (added to demo databases seeded before it too). */
const HAIRCUT = "女士精剪（选技师）";

/**
 * A salon's haircut offered by three stylists with their own titles and hours: customers pick one
 * or take any available (least booked that day). 小美 works afternoons only and takes Mondays off.
 */
async function ensureSalon(db: Db, business: Business): Promise<void> {
  const [found] = await db
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.businessId, business.id), eq(services.name, HAIRCUT)));
  if (found) return;
  const stylists = await db
    .insert(resources)
    .values([
      { businessId: business.id, kind: "staff", name: "Tony 老师", title: "首席发型师" },
      {
        businessId: business.id,
        kind: "staff",
        name: "小美",
        title: "资深发型师",
        weeklyHours: {
          tue: [{ start: "13:00", end: "20:00" }],
          wed: [{ start: "13:00", end: "20:00" }],
          thu: [{ start: "13:00", end: "20:00" }],
          fri: [{ start: "13:00", end: "20:00" }],
          sat: [{ start: "13:00", end: "20:00" }],
        },
      },
      {
        businessId: business.id,
        kind: "staff",
        name: "阿杰",
        title: "发型师",
        breaks: weekdays([{ start: "12:00", end: "13:00" }]),
      },
    ])
    .returning();
  const [created] = await db
    .insert(services)
    .values({
      businessId: business.id,
      kind: "appointment",
      name: HAIRCUT,
      nameEn: "Women's haircut (pick your stylist)",
      description: "洗剪吹一条龙。可指定发型师，或选择“任意可约”由系统安排空闲的发型师。",
      descriptionEn: "Wash, cut and blow-dry. Pick your stylist, or take any available one.",
      durationMin: 60,
      priceFen: 0,
      capacity: 1,
    })
    .returning({ id: services.id });
  if (!created) throw new Error("haircut not created");
  await db.insert(serviceStaff).values(stylists.map((r) => ({ serviceId: created.id, resourceId: r.id })));
  await db.insert(schedules).values({
    serviceId: created.id,
    weeklyHours: { ...weekdays([{ start: "10:00", end: "20:00" }]), sat: [{ start: "10:00", end: "20:00" }] },
    slotIntervalMin: 60,
  });
}

async function ensurePilates(db: Db, business: Business): Promise<string> {
  const [found] = await db
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.businessId, business.id), eq(services.name, PILATES)));
  if (found) return found.id;
  const [created] = await db
    .insert(services)
    .values({
      businessId: business.id,
      kind: "class",
      name: PILATES,
      nameEn: "Pilates small group (waitlist demo)",
      description: "4 人小班，常常约满：满员时可加入候补，有人取消即按顺序为候补学员保留名额。",
      durationMin: 60,
      priceFen: 0,
      capacity: 4,
      rules: { waitlistOfferMinutes: 30 },
    })
    .returning({ id: services.id });
  if (!created) throw new Error("pilates not created");
  await db
    .insert(schedules)
    .values({ serviceId: created.id, weeklyHours: weekdays([{ start: "19:00", end: "20:00" }]), slotIntervalMin: 60 });
  return created.id;
}

/**
 * The class's next slot at least a day ahead, full (four seeded students) with two more waiting in
 * line, unless it was filled before. Written directly (no messages go out for seeded people).
 */
async function fillWithWaitlist(db: Db, serviceId: string, now: Date): Promise<void> {
  const [slot] = await db
    .select()
    .from(timeslots)
    .where(and(eq(timeslots.serviceId, serviceId), gt(timeslots.startsAt, new Date(now.getTime() + 86_400_000))))
    .orderBy(asc(timeslots.startsAt))
    .limit(1);
  if (!slot || slot.bookedCount > 0) return;
  const students = await seedStudents(db);
  const ctx = await loadSlotContext(db, slot.id);
  await db.transaction(async (tx) => {
    for (const student of students.slice(0, slot.capacity)) {
      await reserve(tx, {
        ctx,
        customerId: student,
        seats: 1,
        fields: {},
        status: "confirmed",
        priceFen: 0,
        amountDueFen: 0,
        holdExpiresAt: null,
      });
    }
    const waiting = students.slice(slot.capacity, slot.capacity + 2);
    await tx
      .insert(waitlistEntries)
      .values(waiting.map((customerId, i) => ({ businessId: ctx.business.id, timeslotId: slot.id, customerId, rank: i + 1 })));
  });
}

/** Six demo students without a password (nobody signs in as them). */
async function seedStudents(db: Db): Promise<string[]> {
  const names = ["王小雅", "陈思远", "刘佳怡", "赵子涵", "孙嘉禾", "周若溪"];
  const values = names.map((name, i) => ({ name, email: `student${i + 1}@demo.yuyue.local`, role: "customer" as const }));
  await db.insert(users).values(values).onConflictDoNothing();
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      inArray(
        users.email,
        values.map((v) => v.email),
      ),
    );
  return values.flatMap((v) => rows.filter((r) => r.email === v.email).map((r) => r.id));
}

/**
 * Card plans (a 10-visit tuina card, stored value ¥1000 + ¥200, a 90%-price yearly membership), the
 * coupon WELCOME20 (¥20 off, 100 uses, once per customer) and, with the demo accounts, a 3-visit
 * tuina card the demo customer bought at the desk. Only when the business has no plans yet.
 */
async function seedCardsAndCoupons(db: Db, businessId: string, staffId: string | null, withAccounts: boolean): Promise<void> {
  const [existing] = await db.select({ id: passPlans.id }).from(passPlans).where(eq(passPlans.businessId, businessId)).limit(1);
  if (!existing) {
    const [tuina] = await db.select({ id: services.id }).from(services).where(eq(services.name, "中医推拿（60 分钟）")).limit(1);
    const tuinaOnly = tuina ? [tuina.id] : [];
    await db.insert(passPlans).values([
      { businessId, kind: "visits", name: "推拿 10 次卡", priceFen: 238000, visits: 10, serviceIds: tuinaOnly, validDays: 365 },
      { businessId, kind: "visits", name: "推拿 3 次体验卡", priceFen: 76800, visits: 3, serviceIds: tuinaOnly, validDays: 90 },
      { businessId, kind: "value", name: "储值卡 ¥1000 送 ¥200", priceFen: 100000, bonusFen: 20000, validDays: 730 },
      { businessId, kind: "membership", name: "年度会员卡（9 折）", priceFen: 99900, discountPercent: 10, validDays: 365 },
    ]);
    await db
      .insert(coupons)
      .values({ businessId, code: "WELCOME20", kind: "fixed", amountFen: 2000, maxUses: 100, maxUsesPerCustomer: 1 })
      .onConflictDoNothing();
  }
  if (!withAccounts || !staffId) return;
  const [customer] = await db.select({ id: users.id }).from(users).where(eq(users.email, demoAccounts[0].email));
  if (!customer) return;
  const [held] = await db.select({ id: passes.id }).from(passes).where(eq(passes.customerId, customer.id)).limit(1);
  const [trial] = await db.select().from(passPlans).where(eq(passPlans.name, "推拿 3 次体验卡")).limit(1);
  if (!held && trial)
    await sellPassAtDesk({ planId: trial.id, customerId: customer.id, method: "cash", note: "demo", actorId: staffId }, db);
}
