import "server-only";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "@/db/client";
import { businesses, wechatSubscriptions, type User, type WechatTemplates } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { NotificationEvent } from "./templates";

/**
 * WeChat subscribe messages (订阅消息) as a channel. WeChat lets an official account or a
 * mini-program message a customer only after they said yes to that template, once per message
 * (公众号 web: the one-time subscribe confirm page; mini-programs: wx.requestSubscribeMessage). Each
 * yes is a grant row; writing a WeChat message claims one in the caller's transaction, and the
 * message then goes by WeChat instead of SMS (email and the inbox are unchanged). When WeChat refuses
 * anyway (43101) the worker sends the SMS copy and the inbox copy instead (deliver.ts).
 */
export type WechatTemplateKey = keyof WechatTemplates;

/** Which template an event uses: a paid booking's receipt is its confirmation. */
export function templateKeyOf(event: NotificationEvent): WechatTemplateKey | null {
  if (event === "booking_confirmed" || event === "payment_received") return "booking_confirmed";
  if (event === "reminder") return "reminder";
  return null;
}

export async function wechatTemplates(tx: DbOrTx): Promise<WechatTemplates> {
  const [b] = await tx.select({ t: businesses.wechatTemplates }).from(businesses).orderBy(asc(businesses.createdAt)).limit(1);
  return b?.t ?? {};
}

/** Records the customer's yes to one message of the template (the subscribe callback, or a mini-program API client). */
export async function grantWechatSubscription(tx: DbOrTx, userId: string, key: WechatTemplateKey, templateId: string): Promise<void> {
  await tx.insert(wechatSubscriptions).values({ userId, event: key, templateId });
}

/**
 * Claims one open grant for this message: the template id to send with, or null (no openid, no
 * template configured, no grant left). Skip-locked, so two messages never take the same grant.
 */
export async function claimWechatGrant(
  tx: DbOrTx,
  user: Pick<User, "id" | "wechatOpenid">,
  event: NotificationEvent,
  templates: WechatTemplates,
): Promise<string | null> {
  const key = templateKeyOf(event);
  const templateId = key ? templates[key] : undefined;
  if (!key || !templateId || !user.wechatOpenid) return null;
  const open = tx
    .select({ id: wechatSubscriptions.id })
    .from(wechatSubscriptions)
    .where(
      and(
        eq(wechatSubscriptions.userId, user.id),
        eq(wechatSubscriptions.event, key),
        eq(wechatSubscriptions.templateId, templateId),
        isNull(wechatSubscriptions.usedAt),
      ),
    )
    .orderBy(asc(wechatSubscriptions.grantedAt))
    .limit(1)
    .for("update", { skipLocked: true });
  const [claimed] = await tx
    .update(wechatSubscriptions)
    .set({ usedAt: sql`now()` })
    .where(sql`${wechatSubscriptions.id} = (${open})`)
    .returning({ id: wechatSubscriptions.id });
  return claimed ? templateId : null;
}

type MessageData = { serviceName: string; startsAt: string | Date; timezone: string; businessName: string; bookingCode: string };

/** WeChat caps `thing` values at 20 characters. */
const thing = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);

/**
 * The template's keywords. Yuyue's templates are the library's 预约成功/预约提醒 kind with keywords
 * thing1 (service), time2 (start), thing3 (business), character_string4 (booking code): admins pick
 * templates with those keywords when they set the template ids.
 */
export function subscribeData(d: MessageData): Record<string, string> {
  return {
    thing1: thing(d.serviceName),
    time2: DateTime.fromJSDate(new Date(d.startsAt), { zone: d.timezone }).toFormat("yyyy-MM-dd HH:mm"),
    thing3: thing(d.businessName),
    character_string4: d.bookingCode.slice(0, 32),
  };
}

/**
 * The customer's answer on WeChat's one-time subscribe page (公众号 web): `confirm` for the openid
 * WeChat names, which must be the signed-in customer's, and a template the business uses. Answers
 * which event was granted (null: cancelled).
 */
export async function acceptSubscribeConsent(
  db: DbOrTx,
  input: { userId: string; userOpenid: string | null; openid: string; templateId: string; action: string },
): Promise<WechatTemplateKey | null> {
  if (input.action !== "confirm") return null;
  if (!input.userOpenid || input.userOpenid !== input.openid) throw new AppError("FORBIDDEN", "wechatStateMismatch");
  const templates = await wechatTemplates(db);
  const key = (Object.keys(templates) as WechatTemplateKey[]).find((k) => templates[k] === input.templateId);
  if (!key) throw new AppError("VALIDATION_FAILED", "wechatTemplateId");
  await grantWechatSubscription(db, input.userId, key, input.templateId);
  return key;
}

/** The one-time subscribe page of WeChat (or the sandbox) for one template. */
export function subscribeConfirmUrl(input: {
  openBaseUrl: string;
  appId: string;
  templateId: string;
  redirectUrl: string;
  reserved: string;
}) {
  const q = new URLSearchParams({
    action: "get_confirm",
    appid: input.appId,
    scene: "1",
    template_id: input.templateId,
    redirect_url: input.redirectUrl,
    reserved: input.reserved,
  });
  return `${input.openBaseUrl.replace(/\/+$/, "")}/mp/subscribemsg?${q}#wechat_redirect`;
}
