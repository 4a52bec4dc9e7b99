import { z } from "zod";
import { payChannels } from "@/lib/payments/types";

export const payBookingSchema = z.object({
  provider: z.enum(["alipay", "wechat", "sandbox"], "providerInvalid"),
  channel: z.enum(payChannels).optional(),
  openid: z.string().min(1).max(128).optional(),
});
