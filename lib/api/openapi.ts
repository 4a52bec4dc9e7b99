import { z, type ZodType } from "zod";
import { credentialsSchema, passwordChangeSchema, registerApiSchema, roleChangeSchema } from "@/lib/validations/auth";
import { customerSearchSchema } from "@/lib/validations/customer";
import { otpRequestSchema, otpVerifySchema } from "@/lib/validations/otp";
import { customerSchema, errorSchema, healthSchema, serviceSchema, userSchema } from "./schemas";

export type Operation = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  auth?: "user" | "staff";
  body?: ZodType;
  query?: z.ZodObject;
  responses: Record<number, { description: string; schema?: ZodType }>;
};

const tokenIssuedSchema = z.object({ token: z.string(), expiresAt: z.iso.datetime(), scope: z.enum(["customer", "staff"]) });
const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scope: z.enum(["customer", "staff"]),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});

/** Every operation of the public contract, described by the same zod schemas the handlers parse with. */
export const operations: Operation[] = [
  {
    method: "get",
    path: "/api/health",
    summary: "Health of the database, cache and job queue",
    responses: {
      200: { description: "Up (possibly degraded)", schema: healthSchema },
      503: { description: "Database down", schema: healthSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/auth/register",
    summary:
      "Create a customer account (email and/or mainland phone) and get an API token. Every contact is proved by a code: a phone " +
      "number comes with `code`, the SMS code POST /api/v1/auth/otp sent to it; an email address is sent first without `emailCode` " +
      "(202: a six-digit code is mailed to it, valid 10 minutes, same limits as SMS codes) and then again with the same fields " +
      "plus `emailCode` (201). The 202 is the same whether or not the address has an account: a taken address is mailed a " +
      "notice (sign in or reset the password) instead of a code, and its second step answers 401 like a wrong code",
    body: registerApiSchema,
    responses: {
      201: { description: "Created (every contact proved by its code)", schema: z.object({ user: userSchema, token: z.string() }) },
      202: {
        description: "Email step one: a code is on its way to the address (answered alike for any address)",
        schema: z.object({ pending: z.literal(true), expiresInSec: z.int(), resendAfterSec: z.int() }),
      },
      400: { description: "Invalid input (a phone number without its code, a weak password)", schema: errorSchema },
      401: { description: "Wrong, used or expired SMS or email code", schema: errorSchema },
      409: { description: "Phone number already registered (after its code was proved)", schema: errorSchema },
      429: {
        description: "Too many sign-ups from this address, or a new email code asked within the minute / over the caps",
        schema: errorSchema,
      },
    },
  },
  {
    method: "post",
    path: "/api/v1/auth/token",
    summary: "Exchange email/phone and password for a Bearer API token",
    body: credentialsSchema,
    responses: {
      200: { description: "Token", schema: tokenIssuedSchema },
      400: { description: "Invalid input", schema: errorSchema },
      401: { description: "Wrong credentials", schema: errorSchema },
      429: { description: "Too many failures from this address for this account (Retry-After)", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/auth/tokens",
    summary: "The caller's live API tokens (only their first characters)",
    auth: "user",
    responses: { 200: { description: "Tokens", schema: z.object({ tokens: z.array(apiTokenSchema) }) } },
  },
  {
    method: "delete",
    path: "/api/v1/auth/tokens/{id}",
    summary: "Revoke one of the caller's API tokens",
    auth: "user",
    responses: { 204: { description: "Revoked" }, 404: { description: "No such token of the caller", schema: errorSchema } },
  },
  {
    method: "post",
    path: "/api/v1/auth/password",
    summary: "Change the password: every session and API token of the account ends; a new token is issued",
    auth: "user",
    body: passwordChangeSchema,
    responses: {
      200: { description: "New token", schema: tokenIssuedSchema },
      401: { description: "Current password wrong", schema: errorSchema },
    },
  },
  {
    method: "put",
    path: "/api/v1/staff/users/{id}/role",
    summary: "Change an account's role (admins only); its sessions end at once, a demotion revokes its staff tokens",
    auth: "staff",
    body: roleChangeSchema,
    responses: {
      200: { description: "Updated", schema: z.object({ user: userSchema }) },
      403: { description: "Not an admin", schema: errorSchema },
      404: { description: "No such user", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/auth/otp",
    summary: "Text a six-digit sign-in code to a mainland mobile number (1 a minute, 5 an hour, 10 a day per number)",
    body: otpRequestSchema,
    responses: {
      202: { description: "Code sent", schema: z.object({ expiresInSec: z.int(), resendAfterSec: z.int() }) },
      400: { description: "Invalid number", schema: errorSchema },
      429: { description: "Within the resend interval, over the hourly/daily cap or the address limit", schema: errorSchema },
    },
  },
  {
    method: "post",
    path: "/api/v1/auth/otp/verify",
    summary:
      "Sign in with phone + code and get an API token. The account is created on first use, which needs `privacyConsent: true` " +
      "(the privacy policy accepted; recorded with its version, and for an existing account without a consent on record)",
    body: otpVerifySchema,
    responses: {
      200: { description: "Signed in", schema: z.object({ user: userSchema, token: z.string(), created: z.boolean() }) },
      400: { description: "Invalid input, or a new account without `privacyConsent` (the code stays usable)", schema: errorSchema },
      401: { description: "Wrong, used or expired code", schema: errorSchema },
      429: { description: "Code burned after 5 wrong tries, or too many wrong codes from this address", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/staff/dev-messages",
    summary: "Messages the dev mail/SMS transports recorded in this process (embedded default; 404 with real providers; staff only)",
    auth: "staff",
    query: z.object({ to: z.string().optional(), channel: z.enum(["email", "sms"]).optional() }),
    responses: {
      200: { description: "Recorded messages, newest first", schema: z.object({ messages: z.array(z.record(z.string(), z.unknown())) }) },
      401: { description: "No or invalid token", schema: errorSchema },
      403: { description: "Not staff", schema: errorSchema },
      404: { description: "No dev transport in use", schema: errorSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/services",
    summary: "Active services",
    responses: { 200: { description: "Services", schema: z.object({ services: z.array(serviceSchema) }) } },
  },
  {
    method: "get",
    path: "/api/v1/staff/customers",
    summary: "Search customers by name, phone or email (matched literally) and group (staff only)",
    auth: "staff",
    query: customerSearchSchema,
    responses: {
      200: {
        description: "Customers",
        schema: z.object({ customers: z.array(customerSchema), total: z.int(), limit: z.int(), offset: z.int() }),
      },
      401: { description: "No or invalid token", schema: errorSchema },
      403: { description: "Not staff", schema: errorSchema },
    },
  },
];

const jsonSchema = (schema: ZodType, io: "input" | "output") =>
  z.toJSONSchema(schema, { io, unrepresentable: "any", target: "openapi-3.0" });

export function openApiDocument(extra: Operation[] = []) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...operations, ...extra]) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const queryParams = op.query
      ? Object.entries(op.query.shape).map(([name, s]) => ({
          name,
          in: "query",
          required: !(s as ZodType).safeParse(undefined).success,
          schema: jsonSchema(s as ZodType, "input"),
        }))
      : [];
    const parameters = pathParams.length + queryParams.length > 0 ? [...pathParams, ...queryParams] : undefined;
    // Every operation may answer 503 UNAVAILABLE (with Retry-After) while the database is unreachable.
    const withOutage = {
      503: { description: "Database unavailable: retry after the Retry-After header's seconds", schema: errorSchema },
      ...op.responses,
    };
    const responses = Object.fromEntries(
      Object.entries(withOutage).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.schema ? { content: { "application/json": { schema: jsonSchema(r.schema, "output") } } } : {}),
        },
      ]),
    );
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        summary: op.summary,
        ...(op.auth ? { security: [{ bearer: [] }] } : {}),
        ...(parameters ? { parameters } : {}),
        ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body, "input") } } } } : {}),
        responses,
      },
    };
  }
  return {
    openapi: "3.0.3",
    info: {
      title: "Yuyue API",
      version: "1.0.0",
      description: "Online booking with Alipay and WeChat Pay. Errors are always { error: { code, message, details? } }.",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths,
  };
}
