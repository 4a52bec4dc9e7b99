import { handleSandboxRequest } from "@/lib/payments/providers";

// The local gateway speaking Alipay's and WeChat Pay's wire protocols (404 in production unless enabled).
export const dynamic = "force-dynamic";
export const GET = handleSandboxRequest;
export const POST = handleSandboxRequest;
