import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { addHoliday, listHolidays } from "@/lib/business/holidays";
import { holidaySchema } from "@/lib/validations/schedule";

export const GET = apiRoute({ auth: "staff" }, async () => NextResponse.json({ holidays: await listHolidays() }));

/** Add (or rename) a business-wide holiday: every service's slots that day close at once. Admins, like the settings page. */
export const POST = apiRoute({ auth: "admin", body: holidaySchema }, async ({ body, user }) => {
  return NextResponse.json(await addHoliday(body, user.id), { status: 201 });
});
