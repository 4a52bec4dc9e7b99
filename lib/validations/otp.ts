import { z } from "zod";
import { phoneField } from "@/lib/validations/phone";

export const otpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "otpCodeFormat");

export const otpRequestSchema = z.object({ phone: phoneField, locale: z.enum(["zh-CN", "en"]).optional() });
export type OtpRequestInput = z.infer<typeof otpRequestSchema>;

export const otpVerifySchema = z.object({ phone: phoneField, code: otpCode, locale: z.enum(["zh-CN", "en"]).optional() });
export type OtpVerifyInput = z.infer<typeof otpVerifySchema>;
