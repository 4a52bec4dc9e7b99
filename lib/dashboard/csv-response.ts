import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { getDb, getReadReplicaDb, type Db } from "@/db/client";
import { errorToResponse } from "@/lib/api/handler";
import { currentBusiness } from "@/lib/business/queries";
import { rangeFilterSchema } from "@/lib/validations/dashboard";
import { requireStaffAction } from "./auth";
import { dayRange, type DayRange } from "@/lib/booking/day-range";

/** A CSV download for signed-in staff (session cookie): 401/403 otherwise, range from ?from=&to=. */
export function csvRoute(name: string, build: (db: Db, range: DayRange, timezone: string) => Promise<string>) {
  return async (req: NextRequest): Promise<Response> => {
    try {
      await requireStaffAction();
      const filter = rangeFilterSchema.parse(Object.fromEntries(req.nextUrl.searchParams));
      const db = getDb();
      const { timezone } = await currentBusiness(db);
      const range = dayRange(filter, timezone, new Date(), { defaultDays: 30 });
      const body = await build(getReadReplicaDb(), range, timezone);
      return new NextResponse(body, {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${name}-${range.from}-${range.to}.csv"`,
          "cache-control": "no-store",
        },
      });
    } catch (e) {
      return errorToResponse(e, `csv export ${name}`);
    }
  };
}
