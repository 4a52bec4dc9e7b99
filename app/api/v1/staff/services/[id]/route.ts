import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { toServiceDto } from "@/lib/services/queries";
import { updateService } from "@/lib/services/update-service";
import { updateServiceSchema } from "@/lib/validations/service";

export const PATCH = apiRoute({ auth: "staff", body: updateServiceSchema }, async ({ params, body, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "serviceNotFound");
  const service = await updateService(params.id!, body, user.id);
  return NextResponse.json({ service: toServiceDto(service) });
});
