import type { QueuePolicy } from "pg-boss";
import type { Db } from "@/db/client";

/**
 * The typed catalogue of background jobs. A job module calls `defineJob(...)` at import time;
 * `lib/composition/jobs.ts` imports every job module so a worker process knows every handler.
 */

/** Job payloads travel as JSON: ids and ISO strings, never Date objects or class instances. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };
export type JobData = { [key: string]: JsonValue | undefined };

export interface JobContext {
  /** pg-boss job id; stable across retries, so handlers can use it as an idempotency key. */
  id: string;
  name: string;
  /** 0 on the first attempt. */
  retryCount: number;
  /** Aborted when the job expires or the worker stops. */
  signal: AbortSignal;
  db: Db;
}

export interface JobSchedule<TData extends JobData> {
  /** Cron expression (5 or 6 fields) or an RFC 5545 RRULE. */
  cron: string;
  /** Zone the expression is read in; defaults to the business time zone. */
  tz?: string;
  data?: TData;
}

export interface JobOptions<TData extends JobData = JobData> {
  /** Retries after the first attempt. Default 3. */
  retryLimit?: number;
  /** Seconds before a retry (the base when backing off). Default 30. */
  retryDelay?: number;
  /** Exponential backoff with jitter: retryDelay × ~2^attempt. Default true. */
  retryBackoff?: boolean;
  /** Cap on a backed-off delay, in seconds. */
  retryDelayMax?: number;
  /** Seconds a running attempt may take before it counts as failed. Default 900. */
  expireInSeconds?: number;
  /**
   * The lease of a running attempt: the worker renews it every half of this, and a job whose worker
   * stopped renewing it (killed, frozen, cut off from the database) is failed and retried once
   * this has passed, instead of after `expireInSeconds`. pg-boss minimum 10. Default 30; `null`
   * for none (only `expireInSeconds` bounds the attempt).
   */
  heartbeatSeconds?: number | null;
  /** Where a job goes once its retries are spent. Default `<name>__dead`; `false` for none. */
  deadLetter?: string | false;
  /** pg-boss queue policy; `singletonKey` only deduplicates under a non-standard one. Default standard. */
  policy?: QueuePolicy;
  /** Recurring job: a cron string or `{ cron, tz, data }`. */
  schedule?: string | JobSchedule<TData>;
  /** Jobs of this queue one process runs at once. Default 1. */
  concurrency?: number;
}

export interface ResolvedJobOptions<TData extends JobData> {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax?: number;
  expireInSeconds: number;
  heartbeatSeconds: number | null;
  deadLetter: string | null;
  policy: QueuePolicy;
  schedule: JobSchedule<TData> | null;
  concurrency: number;
}

export interface JobDefinition<TData extends JobData = JobData> {
  readonly name: string;
  readonly options: ResolvedJobOptions<TData>;
  /** Throw to fail the attempt (it is retried, then dead-lettered). Must be idempotent. */
  handler(data: TData, ctx: JobContext): Promise<void>;
}

/**
 * Default lease renewal: a killed worker's jobs go back to the queue about half a minute after it
 * died (plus one supervise pass, see lib/jobs/boss.ts), not after their 15-minute expiry.
 */
export const DEFAULT_HEARTBEAT_SECONDS = 30;

export const deadLetterName = (name: string) => `${name}__dead`;

// Kept on globalThis so Next.js bundles (instrumentation, route handlers) and dev reloads share one catalogue.
const globalForJobs = globalThis as unknown as { yuyueJobRegistry?: Map<string, JobDefinition> };
const registry = (globalForJobs.yuyueJobRegistry ??= new Map());

const NAME = /^[a-z][a-z0-9_.-]*$/i;

export function defineJob<TData extends JobData>(def: {
  name: string;
  handler: (data: TData, ctx: JobContext) => Promise<void>;
  options?: JobOptions<TData>;
}): JobDefinition<TData> {
  if (!NAME.test(def.name) || def.name.endsWith("__dead")) {
    throw new Error(`Invalid job name "${def.name}": letters, digits, . _ - only, not ending in __dead`);
  }
  const o = def.options ?? {};
  if (o.heartbeatSeconds != null && !(Number.isInteger(o.heartbeatSeconds) && o.heartbeatSeconds >= 10)) {
    throw new Error(`Job "${def.name}": heartbeatSeconds must be a whole number of seconds, at least 10 (pg-boss)`);
  }
  const schedule = typeof o.schedule === "string" ? { cron: o.schedule } : (o.schedule ?? null);
  const job: JobDefinition<TData> = {
    name: def.name,
    handler: def.handler,
    options: {
      retryLimit: o.retryLimit ?? 3,
      retryDelay: o.retryDelay ?? 30,
      retryBackoff: o.retryBackoff ?? true,
      retryDelayMax: o.retryBackoff === false ? undefined : o.retryDelayMax,
      expireInSeconds: o.expireInSeconds ?? 900,
      heartbeatSeconds: o.heartbeatSeconds === undefined ? DEFAULT_HEARTBEAT_SECONDS : o.heartbeatSeconds,
      deadLetter: o.deadLetter === false ? null : (o.deadLetter ?? deadLetterName(def.name)),
      policy: o.policy ?? "standard",
      schedule,
      concurrency: o.concurrency ?? 1,
    },
  };
  // A second definition under the same name replaces the first: that is a module re-evaluated
  // by a dev reload, since names are unique by convention (`<domain>.<verb-noun>`).
  registry.set(job.name, job);
  return job;
}

export function getJob(name: string): JobDefinition {
  const job = registry.get(name);
  if (!job) throw new Error(`Unknown job "${name}": import its module (see lib/composition/jobs.ts) before using it`);
  return job;
}

export function listJobs(): JobDefinition[] {
  return [...registry.values()];
}
