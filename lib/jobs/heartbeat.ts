import { defineJob } from "./registry";

/**
 * Built-in recurring job proving the scheduler and a worker are alive. The last run is kept in the
 * memory of the process that ran it (no table of its own); `lastHeartbeat()` reads it there.
 */

const globalForHeartbeat = globalThis as unknown as { yuyueHeartbeatAt?: Date };

export const heartbeat = defineJob<{ [key: string]: never }>({
  name: "system.heartbeat",
  // "short": at most one queued heartbeat, so none pile up while no worker runs.
  options: { schedule: "* * * * *", policy: "short", retryLimit: 0, expireInSeconds: 60, deadLetter: false },
  handler: async () => {
    globalForHeartbeat.yuyueHeartbeatAt = new Date();
  },
});

/** When this process last ran the heartbeat job, if it has. */
export function lastHeartbeat(): Date | undefined {
  return globalForHeartbeat.yuyueHeartbeatAt;
}
