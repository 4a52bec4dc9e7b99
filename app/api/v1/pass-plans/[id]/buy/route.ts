import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { buyPass } from "@/lib/passes/buy-pass";
import { clientIp } from "@/lib/rate-limit";
import { payBookingSchema } from "@/lib/validations/payment";

export const POST = apiRoute({ auth: "user", body: payBookingSchema }, async ({ params, user, body, req }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "passPlanNotFound");
  const result = await buyPass({ planId: params.id!, customerId: user.id, ...body, clientIp: clientIp(req.headers) });
  return NextResponse.json(
    { ...result, sale: { id: result.sale.id, status: result.sale.status, amountFen: result.sale.amountFen } },
    { status: 201 },
  );
});
