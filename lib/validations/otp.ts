import { z } from "zod";
import { consentField } from "@/lib/validations/consent";
import { phoneField } from "@/lib/validations/phone";

export const otpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "otpCodeFormat");

export const otpRequestSchema = z.object({ phone: phoneField, locale: z.enum(["zh-CN", "en"]).optional() });
export type OtpRequestInput = z.infer<typeof otpRequestSchema>;

/** `privacyConsent`: the policy accepted; needed when the number has no account yet (it is created). */
export const otpVerifySchema = z.object({
  phone: phoneField,
  code: otpCode,
  locale: z.enum(["zh-CN", "en"]).optional(),
  privacyConsent: consentField.optional(),
});
export type OtpVerifyInput = z.infer<typeof otpVerifySchema>;
