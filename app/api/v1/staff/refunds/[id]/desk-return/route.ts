import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { settleDeskRefund } from "@/lib/booking/desk-payments";
import { AppError } from "@/lib/errors";

const body = z.object({ note: z.string().trim().max(500).optional() });

/** A desk refund handed back to the customer (cash, card reversal) → { refund }; once only (409 after). */
export const POST = apiRoute({ auth: "staff", body }, async ({ params, body, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "refundNotFound");
  const refund = await settleDeskRefund({ refundId: params.id!, actor: { id: user.id, role: user.role }, note: body.note });
  return NextResponse.json({ refund });
});
