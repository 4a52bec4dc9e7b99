// The rule lives with the environment so the WeChat sign-in wiring (lib/wechat) shares it.
export { sandboxAllowed, type SandboxEnv } from "@/lib/env";
