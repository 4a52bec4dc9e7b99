import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { toResourceDto } from "@/lib/resources/dto";
import { saveResource } from "@/lib/resources/save-resource";
import { resourceSchema } from "@/lib/validations/service";

export const PUT = apiRoute({ auth: "staff", body: resourceSchema }, async ({ params, body, user }) => {
  if (!z.uuid().safeParse(params.id).success) throw new AppError("NOT_FOUND", "resourceNotFound");
  const resource = await saveResource({ ...body, id: params.id }, user.id);
  return NextResponse.json({ resource: toResourceDto(resource) });
});
