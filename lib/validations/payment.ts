import { z } from "zod";
import { payChannels } from "@/lib/payments/types";

export const payBookingSchema = z.object({
  provider: z.enum(["alipay", "wechat", "sandbox"], "provider 须为 alipay、wechat 或 sandbox / provider must be alipay, wechat or sandbox"),
  channel: z.enum(payChannels).optional(),
  openid: z.string().min(1).max(128).optional(),
});
