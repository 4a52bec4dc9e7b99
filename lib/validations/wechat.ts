import { z } from "zod";
import { consentField } from "@/lib/validations/consent";

/** A WeChat login/OAuth code as WeChat issues them (32-ish URL-safe characters). */
export const wechatCodeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{8,128}$/, "wechatCodeFormat"),
});

/** POST /api/v1/auth/wechat: the code, and whether the privacy policy was accepted (needed when the account is new). */
export const wechatSignInSchema = wechatCodeSchema.extend({ privacyConsent: consentField.optional() });

/** Which events a customer agrees to receive as WeChat subscribe messages. */
export const wechatSubscribeEvents = ["booking_confirmed", "reminder"] as const;
