import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { listCustomerPasses } from "@/lib/passes/queries";

export const GET = apiRoute({ auth: "user" }, async ({ user }) => {
  return NextResponse.json({ passes: await listCustomerPasses(getDb(), user.id) });
});
