import { jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Business-level policy; services may override any key. Validated by lib/booking/policy. */
export type PolicyJson = Record<string, unknown>;

/** A date (YYYY-MM-DD, business zone) on which every service is closed. */
export type Holiday = { date: string; name: string };

/** Subscribe-message template ids per notification event (only these events go by WeChat). */
export type WechatTemplates = Partial<Record<"booking_confirmed" | "reminder", string>>;

export const businesses = pgTable("businesses", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique("businesses_slug_key"),
  name: text("name").notNull(),
  timezone: text("timezone").notNull().default("Asia/Shanghai"),
  locales: text("locales").array().notNull().default(["zh-CN", "en"]),
  defaultLocale: text("default_locale").notNull().default("zh-CN"),
  phone: text("phone"),
  address: text("address"),
  policy: jsonb("policy").$type<PolicyJson>().notNull().default({}),
  /** Admin-defined rules for the rules engine (json-rules-engine rule objects plus messages). */
  customRules: jsonb("custom_rules").$type<unknown[]>().notNull().default([]),
  /** Business-wide closed days, sorted by date: no service has slots on them (lib/booking/reconcile-slots). */
  holidays: jsonb("holidays").$type<Holiday[]>().notNull().default([]),
  /** WeChat subscribe-message (订阅消息) template id per event, set by admins: `{ booking_confirmed, reminder }`. */
  wechatTemplates: jsonb("wechat_templates").$type<WechatTemplates>().notNull().default({}),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Business = typeof businesses.$inferSelect;
