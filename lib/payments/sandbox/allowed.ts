/** The settings that decide whether a sandbox may run (a subset of lib/env's Env). */
export interface SandboxEnv {
  NODE_ENV?: string;
  SANDBOX_GATEWAY_ENABLED?: string;
}

/**
 * The one rule for the sandbox gateway (the gateway itself, the payment accounts, the mounted route
 * and the admin's status page): never in production unless explicitly enabled, as it marks orders
 * paid at the click of a button.
 */
export function sandboxAllowed(env: SandboxEnv): boolean {
  return env.NODE_ENV !== "production" || /^(1|true|yes|on)$/i.test(env.SANDBOX_GATEWAY_ENABLED ?? "");
}
