import { errorResponse } from "@/lib/api/handler";
import { apiLocale } from "@/lib/i18n/config";
import { localizeText } from "@/lib/i18n/error-text";

/** Any /api path no route handles: a JSON 404 in the error shape, not the HTML not-found page. */
function notFound(req: Request): Response {
  return errorResponse("NOT_FOUND", localizeText(apiLocale(req.headers.get("accept-language"), null), "noSuchEndpoint"));
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
