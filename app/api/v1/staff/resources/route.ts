import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { toResourceDto } from "@/lib/resources/dto";
import { saveResource } from "@/lib/resources/save-resource";
import { resourceSchema } from "@/lib/validations/service";

export const POST = apiRoute({ auth: "staff", body: resourceSchema }, async ({ body, user }) => {
  const resource = await saveResource(body, user.id);
  return NextResponse.json({ resource: toResourceDto(resource) }, { status: 201 });
});
