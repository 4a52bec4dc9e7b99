import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/handler";
import { listSlotConflicts } from "@/lib/booking/slot-conflicts";

/** Future slots whose bookings no longer fit their service's schedule, a holiday or the capacity. */
export const GET = apiRoute({ auth: "staff" }, async () => NextResponse.json({ conflicts: await listSlotConflicts(getDb()) }));
