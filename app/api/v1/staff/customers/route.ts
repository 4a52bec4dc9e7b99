import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { searchCustomers } from "@/lib/customers/queries";
import { paginationSchema } from "@/lib/validations/common";

export const GET = apiRoute({ auth: "staff", query: paginationSchema }, async ({ query }) => {
  const customers = await searchCustomers(getDb(), query);
  return NextResponse.json({ customers, limit: query.limit, offset: query.offset });
});
