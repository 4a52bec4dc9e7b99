import { z } from "zod";
import type { Operation } from "@/lib/api/openapi";
import { errorSchema, userSchema } from "@/lib/api/schemas";
import { wechatSignInSchema } from "@/lib/validations/wechat";

/** Register with `openApiDocument(authOperations)`. */
export const authOperations: Operation[] = [
  {
    method: "post",
    path: "/api/v1/auth/wechat",
    summary:
      "WeChat mini-program sign-in: the wx.login code is exchanged at /sns/jscode2session; the customer (one record across " +
      "phone and WeChat, matched by openid or unionid) is created on first use, which needs `privacyConsent: true` (the policy " +
      "accepted in the mini-program; recorded with its version, and for an existing account without a consent on record); answers an API token",
    body: wechatSignInSchema,
    responses: {
      200: { description: "Signed in", schema: z.object({ user: userSchema, token: z.string(), created: z.boolean() }) },
      400: {
        description: "Invalid input, or a new account without `privacyConsent` (ask again with a new wx.login code)",
        schema: errorSchema,
      },
      401: { description: "WeChat refused the code (invalid, used or expired)", schema: errorSchema },
      503: { description: "WeChat unreachable, or mini-program sign-in not configured", schema: errorSchema },
    },
  },
];
