import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { createResource } from "@/lib/services/create-service";
import { createResourceSchema } from "@/lib/validations/service";

export const POST = apiRoute({ auth: "staff", body: createResourceSchema }, async ({ body, user }) => {
  const resource = await createResource(body, user.id);
  return NextResponse.json({ resource: { id: resource.id, kind: resource.kind, name: resource.name } }, { status: 201 });
});
