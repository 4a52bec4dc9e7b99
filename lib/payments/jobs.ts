import "server-only";
// Job definitions of the payments domain, imported by lib/jobs/all. Closing and reconciling a
// booking's gateway orders apply payments to the booking, so those two live in lib/booking/jobs.
export { refundJob, refundQueryJob } from "./refunds";
