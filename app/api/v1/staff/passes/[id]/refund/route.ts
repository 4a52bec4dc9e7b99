import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { refundPass } from "@/lib/passes/adjust-pass";
import { toPassDto } from "@/lib/passes/queries";
import { refundPassSchema } from "@/lib/validations/passes";

export const POST = apiRoute({ auth: "staff", body: refundPassSchema }, async ({ params, body, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "passNotFound");
  const { pass, refundFen } = await refundPass({ passId: params.id!, ...body, actorId: user.id });
  return NextResponse.json({ pass: toPassDto(pass), refundFen });
});
