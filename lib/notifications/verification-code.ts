import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { notifications, type Notification } from "@/db/schema";
import { authSecret } from "@/lib/auth/secret";
import { enqueue } from "@/lib/jobs/enqueue";
import type { ChannelMessage } from "./channels";
import { deliverJob } from "./deliver-job";
import { smsTemplateConfig, VERIFICATION_CODE } from "./sms-config";
import type { Locale } from "@/lib/i18n/config";
import { appUrl } from "@/lib/env";
import { escapeHtml } from "./templates/format";

/**
 * Verification codes go through the outbox like every other message (written in the transaction
 * that creates the code, delivered by the worker with retries; texted, or mailed for an e-mail
 * sign-up), but the row never holds the code in clear: the payload carries it sealed with
 * AES-256-GCM under a key derived from the auth secret, and the title and body say only that a
 * code was sent. Past `expires_at` the row is
 * cancelled instead of retried: a late code is useless and would confuse.
 */

const key = () => createHash("sha256").update(`${authSecret()}:verification-code-outbox`).digest();

export function sealCode(code: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(code, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString("base64url")).join(".");
}

export function openCode(sealed: string): string {
  const [iv, tag, data] = sealed.split(".").map((p) => Buffer.from(p, "base64url"));
  if (!iv || !tag || !data) throw new Error("malformed sealed code");
  const decipher = createDecipheriv("aes-256-gcm", key(), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
}

const payloadSchema = z.object({
  event: z.literal(VERIFICATION_CODE),
  /** No `sealed` code: the mail to an address that already has an account (`taken`). */
  data: z.object({ sealed: z.string().min(1).optional(), minutes: z.number().int().positive(), taken: z.boolean().optional() }),
});

const copy = {
  "zh-CN": { title: "验证码", body: (m: number) => `验证码已通过短信发送，${m} 分钟内有效。` },
  en: { title: "Verification code", body: (m: number) => `A verification code was sent by SMS; it is valid for ${m} minutes.` },
} as const;

/** Sign-up by e-mail: the code, or (a taken address) the notice that someone tried. */
const mailCopy = {
  "zh-CN": {
    codeTitle: "注册验证码",
    codeBody: (m: number) => `注册验证码已发送到此邮箱，${m} 分钟内有效。`,
    codeText: (code: string, m: number) => `您的注册验证码是 ${code}，${m} 分钟内有效。如非本人操作，请忽略此邮件。`,
    takenTitle: "有人尝试用您的邮箱注册",
    takenBody: "有人尝试用此邮箱注册新账户；此邮箱已有账户，未创建新账户。",
    takenText: (signIn: string, reset: string) =>
      `有人尝试用此邮箱地址注册新账户。此地址已有账户，因此没有创建新账户。` +
      `如果是您本人，请直接登录：${signIn}；忘记密码可在此重设：${reset}。如非本人操作，请忽略此邮件，您的账户不受影响。`,
  },
  en: {
    codeTitle: "Your sign-up code",
    codeBody: (m: number) => `A sign-up code was sent to this address; it is valid for ${m} minutes.`,
    codeText: (code: string, m: number) =>
      `Your sign-up code is ${code}. It is valid for ${m} minutes. If you did not ask for it, ignore this e-mail.`,
    takenTitle: "Someone tried to sign up with your address",
    takenBody: "Someone tried to create an account with this address, which already has one; none was created.",
    takenText: (signIn: string, reset: string) =>
      `Someone tried to create an account with this e-mail address. It already has one, so no new account was made. ` +
      `If it was you, sign in at ${signIn}, or reset your password at ${reset}. If it was not you, ignore this e-mail: your account is unchanged.`,
  },
} as const;

export type VerificationCodeInput = {
  /** The code's row id: the message's dedupe key, so one code is texted once. */
  codeId: string;
  phone: string;
  code: string;
  expiresAt: Date;
  /** The account the number belongs to, when there is one. */
  userId: string | null;
  locale: Locale;
};

/** Writes the SMS into the outbox in the caller's transaction and enqueues its delivery there too. */
export async function enqueueVerificationCode(tx: DbOrTx, input: VerificationCodeInput): Promise<string> {
  const minutes = Math.max(1, Math.round((input.expiresAt.getTime() - Date.now()) / 60_000));
  const text = copy[input.locale];
  const [row] = await tx
    .insert(notifications)
    .values({
      userId: input.userId,
      recipient: input.phone,
      type: VERIFICATION_CODE,
      channel: "sms",
      locale: input.locale,
      title: text.title,
      body: text.body(minutes),
      payload: { event: VERIFICATION_CODE, data: { sealed: sealCode(input.code), minutes } },
      idempotencyKey: `otp:${input.codeId}:sms`,
      expiresAt: input.expiresAt,
    })
    .returning({ id: notifications.id });
  if (!row) throw new Error("verification code message not written");
  await enqueue(tx, deliverJob, { notificationId: row.id });
  return row.id;
}

export type SignUpEmailInput = {
  /** The code's row id: the message's dedupe key, so one request is mailed once. */
  codeId: string;
  email: string;
  /** Null for an address that already has an account: that mail carries no code. */
  code: string | null;
  expiresAt: Date;
  userId: string | null;
  locale: Locale;
};

/** The sign-up mail, into the outbox in the caller's transaction like the SMS code above. */
export async function enqueueSignUpEmail(tx: DbOrTx, input: SignUpEmailInput): Promise<string> {
  const minutes = Math.max(1, Math.round((input.expiresAt.getTime() - Date.now()) / 60_000));
  const text = mailCopy[input.locale];
  const [row] = await tx
    .insert(notifications)
    .values({
      userId: input.userId,
      recipient: input.email,
      type: VERIFICATION_CODE,
      channel: "email",
      locale: input.locale,
      title: input.code === null ? text.takenTitle : text.codeTitle,
      body: input.code === null ? text.takenBody : text.codeBody(minutes),
      payload: {
        event: VERIFICATION_CODE,
        data: input.code === null ? { minutes, taken: true } : { sealed: sealCode(input.code), minutes },
      },
      idempotencyKey: `otp:${input.codeId}:email`,
      expiresAt: input.expiresAt,
    })
    .returning({ id: notifications.id });
  if (!row) throw new Error("sign-up mail not written");
  await enqueue(tx, deliverJob, { notificationId: row.id });
  return row.id;
}

export const isVerificationCode = (n: Pick<Notification, "type">) => n.type === VERIFICATION_CODE;

function mailMessage(n: Notification, to: string, data: z.infer<typeof payloadSchema>["data"]): ChannelMessage {
  const text = mailCopy[n.locale === "en" ? "en" : "zh-CN"];
  const base = appUrl().replace(/\/+$/, "");
  const body = data.sealed
    ? text.codeText(openCode(data.sealed), data.minutes)
    : text.takenText(`${base}/signin`, `${base}/reset-password`);
  return { to, title: n.title, text: body, html: `<p>${escapeHtml(body)}</p>`, idempotencyKey: n.idempotencyKey };
}

/**
 * The provider message for a verification-code row: by SMS its own template, params `code` then
 * `minutes`; by mail the code (or the taken-address notice) in the text.
 */
export function verificationMessage(n: Notification, to: string): ChannelMessage {
  const { data } = payloadSchema.parse(n.payload);
  if (n.channel === "email") return mailMessage(n, to, data);
  if (!data.sealed) throw new Error("an SMS verification row without its code");
  const config = smsTemplateConfig();
  return {
    to,
    title: n.title,
    text: n.body,
    sms: {
      templateCode: config.templates[VERIFICATION_CODE],
      params: { code: openCode(data.sealed), minutes: String(data.minutes) },
      signName: config.signNames[VERIFICATION_CODE],
    },
    idempotencyKey: n.idempotencyKey,
  };
}
