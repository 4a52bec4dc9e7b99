import { NextResponse } from "next/server";
import { health } from "@/lib/health";

export async function GET() {
  const report = await health();
  return NextResponse.json(report, { status: report.status === "down" ? 503 : 200 });
}
