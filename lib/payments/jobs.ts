import "server-only";
// Job definitions of the payments domain, imported by lib/jobs/all.
export { refundJob, refundQueryJob } from "./refunds";
export { closeOrdersJob, reconcileJob } from "./reconcile";
