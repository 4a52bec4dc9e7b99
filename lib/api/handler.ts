import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z, type ZodType } from "zod";
import type { User } from "@/db/schema";
import { userFromBearer } from "@/lib/auth/api-tokens";
import { containsNul, readBodyText } from "@/lib/api/body";
import { AppError, httpStatus, localizeDetails, toAppError, UNAVAILABLE_RETRY_AFTER_S, type ErrorCode } from "@/lib/errors";
import { isStaff } from "@/lib/auth/roles";
import { apiLocale, defaultLocale, type Locale } from "@/lib/i18n/config";
import { localizeText } from "@/lib/i18n/error-text";
import { log } from "@/lib/log";

export type ApiAuth = "none" | "user" | "staff" | "admin";

type Ctx<TBody, TQuery, TAuth extends ApiAuth> = {
  req: NextRequest;
  params: Record<string, string>;
  body: TBody;
  query: TQuery;
  user: TAuth extends "none" ? User | null : User;
};

type Options<TBody, TQuery, TAuth extends ApiAuth> = {
  auth: TAuth;
  body?: ZodType<TBody>;
  query?: ZodType<TQuery>;
};

/** Seconds to wait, for the Retry-After header of 503 and 429 answers. */
function retryAfter(code: ErrorCode, details: unknown): number | undefined {
  if (code === "UNAVAILABLE") return UNAVAILABLE_RETRY_AFTER_S;
  const s = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (code === "RATE_LIMITED") return typeof s === "number" && s > 0 ? Math.ceil(s) : 60;
  return undefined;
}

export function errorResponse(code: ErrorCode, message: string, details?: unknown): NextResponse {
  const wait = retryAfter(code, details);
  return NextResponse.json(
    { error: details === undefined ? { code, message } : { code, message, details } },
    { status: httpStatus[code], headers: wait === undefined ? undefined : { "Retry-After": String(wait) } },
  );
}

/**
 * The answer to any error escaping a route, its message in the caller's language: AppError → its
 * status; a lost or refused database connection → 503 UNAVAILABLE with Retry-After (the pool
 * reconnects by itself); anything else is logged and answered as a generic 500, never a stack trace.
 */
export function errorToResponse(e: unknown, where: string, locale: Locale = defaultLocale): NextResponse {
  const expected = toAppError(e, `answered 503: ${where}`);
  if (expected) return errorResponse(expected.code, expected.messageIn(locale), localizeDetails(expected.details, locale));
  log.error("[api] unexpected error", where, e);
  return errorResponse("INTERNAL", localizeText(locale, "internal"));
}

function validationError(error: z.ZodError, locale: Locale): NextResponse {
  const details = error.issues.map((i) => ({ path: i.path.join("."), message: localizeText(locale, i.message) }));
  return errorResponse("VALIDATION_FAILED", details[0]?.message ?? localizeText(locale, "invalidInput"), details);
}

async function readJson(req: NextRequest): Promise<unknown> {
  const text = await readBodyText(req);
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION_FAILED", "invalidJson");
  }
  if (containsNul(value)) throw new AppError("VALIDATION_FAILED", "nulCharacter");
  return value;
}

/**
 * The one wrapper every /api/v1 handler goes through: Bearer auth → role → zod
 * (body and query) → domain call; errors answered by `errorToResponse` in the caller's language
 * (Accept-Language, else the account's language, else zh-CN).
 */
export function apiRoute<TBody = undefined, TQuery = undefined, TAuth extends ApiAuth = ApiAuth>(
  options: Options<TBody, TQuery, TAuth>,
  handler: (ctx: Ctx<TBody, TQuery, TAuth>) => Promise<Response>,
) {
  return async (req: NextRequest, context: { params: Promise<Record<string, string>> }): Promise<Response> => {
    const acceptLanguage = req.headers.get("accept-language");
    let locale = apiLocale(acceptLanguage, null);
    try {
      const user = await userFromBearer(req.headers.get("authorization"));
      locale = apiLocale(acceptLanguage, user?.locale);
      if (options.auth !== "none" && !user) {
        return errorResponse("UNAUTHENTICATED", localizeText(locale, "badBearerToken"));
      }
      if ((options.auth === "staff" && !(user && isStaff(user.role))) || (options.auth === "admin" && user?.role !== "admin")) {
        return errorResponse("FORBIDDEN", localizeText(locale, "noAccess"));
      }
      let body = undefined as TBody;
      if (options.body) {
        const parsed = options.body.safeParse(await readJson(req));
        if (!parsed.success) return validationError(parsed.error, locale);
        body = parsed.data;
      }
      let query = undefined as TQuery;
      if (options.query) {
        const raw = Object.fromEntries(req.nextUrl.searchParams);
        if (containsNul(raw)) throw new AppError("VALIDATION_FAILED", "nulCharacter");
        const parsed = options.query.safeParse(raw);
        if (!parsed.success) return validationError(parsed.error, locale);
        query = parsed.data;
      }
      const params = (await context.params) ?? {};
      if (containsNul(params)) throw new AppError("VALIDATION_FAILED", "nulCharacter");
      return await handler({ req, params, body, query, user: user as Ctx<TBody, TQuery, TAuth>["user"] });
    } catch (e) {
      return errorToResponse(e, `${req.method} ${req.nextUrl.pathname}`, locale);
    }
  };
}
