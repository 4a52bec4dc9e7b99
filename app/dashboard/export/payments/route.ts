import { csvRoute } from "@/lib/dashboard/csv-response";
import { paymentsCsv } from "@/lib/dashboard/export-queries";

export const GET = csvRoute("payments", paymentsCsv);
