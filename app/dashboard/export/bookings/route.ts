import { csvRoute } from "@/lib/dashboard/csv-response";
import { bookingsCsv } from "@/lib/dashboard/export-queries";

export const GET = csvRoute("bookings", bookingsCsv);
