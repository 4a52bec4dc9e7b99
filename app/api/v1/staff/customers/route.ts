import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { searchCustomers, toCustomerDto } from "@/lib/customers/queries";
import { customerSearchSchema } from "@/lib/validations/customer";

export const GET = apiRoute({ auth: "staff", query: customerSearchSchema }, async ({ query }) => {
  const { rows, total } = await searchCustomers(getDb(), query);
  return NextResponse.json({ customers: rows.map(toCustomerDto), total, limit: query.limit, offset: query.offset });
});
