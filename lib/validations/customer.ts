import { z } from "zod";
import { paginationSchema } from "./common";

/**
 * Staff search of customers by name, phone or email, optionally within a group: the one input of
 * GET /api/v1/staff/customers, the dashboard's customer list and the booking-on-behalf picker.
 */
export const customerSearchSchema = paginationSchema.extend({
  group: z.string().trim().max(40).optional(),
});
export type CustomerSearchInput = z.infer<typeof customerSearchSchema>;
