import { NextResponse } from "next/server";
import { UNAVAILABLE_RETRY_AFTER_S } from "@/lib/errors";
import { health } from "@/lib/health";

export async function GET() {
  const report = await health();
  const down = report.status === "down";
  return NextResponse.json(report, {
    status: down ? 503 : 200,
    headers: down ? { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_S) } : undefined,
  });
}
