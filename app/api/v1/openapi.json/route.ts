import { NextResponse } from "next/server";
import { bookingOperations } from "@/lib/booking/openapi";
import { openApiDocument } from "@/lib/api/openapi";
import { dashboardOperations } from "@/lib/dashboard/openapi";
import { notificationOperations } from "@/lib/notifications/openapi";
import { paymentOperations } from "@/lib/payments/openapi";

export function GET() {
  return NextResponse.json(openApiDocument([...bookingOperations, ...paymentOperations, ...notificationOperations, ...dashboardOperations]));
}
