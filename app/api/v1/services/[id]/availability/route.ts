import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { PRIVATE_NO_STORE, PUBLIC_AVAILABILITY_CACHE } from "@/lib/api/cache-control";
import { getAvailability } from "@/lib/booking/availability";
import { AppError } from "@/lib/errors";
import { availabilityLimits, clientIp, consumeLimits } from "@/lib/rate-limit";
import { availabilityQuerySchema } from "@/lib/validations/booking";

export const GET = apiRoute({ auth: "none", query: availabilityQuerySchema }, async ({ params, query, user, req }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "serviceNotFound");
  await consumeLimits(availabilityLimits(clientIp(req.headers)));
  const locale = req.headers.get("accept-language")?.toLowerCase().startsWith("en") ? "en" : "zh-CN";
  const result = await getAvailability({
    serviceId: params.id!,
    from: query.from,
    to: query.to,
    staffId: query.staffId,
    customer: user,
    locale,
  });
  // The anonymous answer depends only on the URL and the language: a CDN may share it for a few seconds.
  const headers = { "Cache-Control": user ? PRIVATE_NO_STORE : PUBLIC_AVAILABILITY_CACHE, Vary: "Accept-Language, Authorization" };
  return NextResponse.json(result, { headers });
});
