import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { createService } from "@/lib/services/create-service";
import { toServiceDto } from "@/lib/services/queries";
import { createServiceSchema } from "@/lib/validations/service";

export const POST = apiRoute({ auth: "staff", body: createServiceSchema }, async ({ body, user }) => {
  const service = await createService(body, user.id);
  return NextResponse.json({ service: toServiceDto(service) }, { status: 201 });
});
