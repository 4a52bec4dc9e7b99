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

/**
 * Verification codes go through the outbox like every other message (written in the transaction
 * that creates the code, delivered by the worker with retries), but the row never holds the code
 * in clear: the payload carries it sealed with AES-256-GCM under a key derived from the auth
 * secret, and the title and body say only that a code was sent. Past `expires_at` the row is
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
  data: z.object({ sealed: z.string().min(1), minutes: z.number().int().positive() }),
});

const copy = {
  "zh-CN": { title: "验证码", body: (m: number) => `验证码已通过短信发送，${m} 分钟内有效。` },
  en: { title: "Verification code", body: (m: number) => `A verification code was sent by SMS; it is valid for ${m} minutes.` },
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

export const isVerificationCode = (n: Pick<Notification, "type">) => n.type === VERIFICATION_CODE;

/** The provider message for a verification-code row: its own template, params `code` then `minutes`. */
export function verificationMessage(n: Notification, to: string): ChannelMessage {
  const { data } = payloadSchema.parse(n.payload);
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
