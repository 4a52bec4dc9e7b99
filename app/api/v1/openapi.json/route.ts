import { NextResponse } from "next/server";
import { bookingOperations } from "@/lib/booking/openapi";
import { openApiDocument } from "@/lib/api/openapi";
import { notificationOperations } from "@/lib/notifications/openapi";

export function GET() {
  return NextResponse.json(openApiDocument([...bookingOperations, ...notificationOperations]));
}
