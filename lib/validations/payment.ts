import { z } from "zod";

/**
 * Gateway-neutral channels, so the pay page chooses by device, not by gateway:
 * qr = Alipay precreate / WeChat Native; page = Alipay PC page pay; mobile_web = Alipay WAP /
 * WeChat H5; jsapi = WeChat in-app browser or mini-program (needs openid).
 */
export const payChannels = ["qr", "page", "mobile_web", "jsapi"] as const;
export type PayChannel = (typeof payChannels)[number];

export const payBookingSchema = z.object({
  provider: z.enum(["alipay", "wechat", "sandbox", "paypal"], "providerInvalid"),
  channel: z.enum(payChannels).optional(),
  openid: z.string().min(1).max(128).optional(),
});
