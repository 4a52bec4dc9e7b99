import { z } from "zod";

/** A WeChat login/OAuth code as WeChat issues them (32-ish URL-safe characters). */
export const wechatCodeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{8,128}$/, "wechatCodeFormat"),
});

/** Which events a customer agrees to receive as WeChat subscribe messages. */
export const wechatSubscribeEvents = ["booking_confirmed", "reminder"] as const;
