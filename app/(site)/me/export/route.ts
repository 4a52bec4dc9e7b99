import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { auth } from "@/lib/auth";
import { exportMyData } from "@/lib/pii/export-my-data";

/** The settings page's "Export my data" link: the signed-in person's data as a JSON download. */
export async function GET(req: Request): Promise<Response> {
  const session = await auth();
  if (!session?.user?.id) return NextResponse.redirect(new URL("/signin?callbackUrl=%2Fme%2Fsettings", req.url));
  const data = await exportMyData(getDb(), session.user.id);
  return new NextResponse(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="yuyue-my-data-${data.exportedAt.slice(0, 10)}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
