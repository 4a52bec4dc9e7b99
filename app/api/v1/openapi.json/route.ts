import { NextResponse } from "next/server";
import { bookingOperations } from "@/lib/api/operations/booking";
import { openApiDocument } from "@/lib/api/openapi";
import { dashboardOperations } from "@/lib/api/operations/staff";
import { authOperations } from "@/lib/api/operations/auth";
import { notificationOperations } from "@/lib/api/operations/notifications";
import { paymentOperations } from "@/lib/api/operations/payments";
import { accountOperations } from "@/lib/api/operations/account";

export function GET() {
  return NextResponse.json(openApiDocument([...bookingOperations, ...paymentOperations, ...notificationOperations, ...dashboardOperations, ...accountOperations, ...authOperations]));
}
