import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { adjustPass } from "@/lib/passes/adjust-pass";
import { toPassDto } from "@/lib/passes/queries";
import { adjustPassSchema } from "@/lib/validations/passes";

export const POST = apiRoute({ auth: "staff", body: adjustPassSchema }, async ({ params, body, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "passNotFound");
  const pass = await adjustPass({ passId: params.id!, ...body, actorId: user.id });
  return NextResponse.json({ pass: toPassDto(pass) });
});
