import "server-only";
// Job definitions of the payments domain, imported by lib/jobs/all.
export { refundJob } from "./refunds";
export { closeOrdersJob, reconcileJob } from "./reconcile";
