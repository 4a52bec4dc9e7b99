import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { defaultSmsTemplateCodes, notificationEvents, type SmsTemplateCodes } from "./templates";

/** The message type of a verification code: not a booking event, it has its own template. */
export const VERIFICATION_CODE = "verification_code";
export const DEFAULT_VERIFICATION_TEMPLATE = "SMS_YUYUE_VERIFICATION_CODE";

export type SmsMessageType = keyof SmsTemplateCodes | typeof VERIFICATION_CODE;

const messageType = z.enum([...notificationEvents, VERIFICATION_CODE]);
const mapSchema = z.partialRecord(messageType, z.string().trim().min(1).max(64));

export type SmsTemplateConfig = {
  templates: SmsTemplateCodes & { [VERIFICATION_CODE]: string };
  /** Signature per message type; absent types use the provider's default (SMS_SIGN_NAME). */
  signNames: Partial<Record<SmsMessageType, string>>;
};

function parseMap(name: string, raw: string | undefined): Partial<Record<SmsMessageType, string>> {
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`${name} must be a JSON object such as {"booking_confirmed":"SMS_123"}`);
  }
  const parsed = mapSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${name}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  return parsed.data;
}

/**
 * Registered templates and signatures per message type. Each SMS account registers its own
 * templates, so the placeholders in `defaultSmsTemplateCodes` are only for the dev transport;
 * a bad JSON value fails at startup rather than at the first message.
 */
export function smsTemplateConfigFromEnv(
  source: Pick<typeof env, "SMS_TEMPLATE_CODES" | "SMS_TEMPLATE_VERIFICATION_CODE" | "SMS_SIGN_NAMES"> = env,
): SmsTemplateConfig {
  const codes = parseMap("SMS_TEMPLATE_CODES", source.SMS_TEMPLATE_CODES);
  return {
    templates: {
      ...defaultSmsTemplateCodes,
      [VERIFICATION_CODE]: DEFAULT_VERIFICATION_TEMPLATE,
      ...codes,
      ...(source.SMS_TEMPLATE_VERIFICATION_CODE ? { [VERIFICATION_CODE]: source.SMS_TEMPLATE_VERIFICATION_CODE } : {}),
    },
    signNames: parseMap("SMS_SIGN_NAMES", source.SMS_SIGN_NAMES),
  };
}

const holder = globalThis as unknown as { yuyueSmsTemplates?: SmsTemplateConfig };
export const smsTemplateConfig = (): SmsTemplateConfig => (holder.yuyueSmsTemplates ??= smsTemplateConfigFromEnv());
