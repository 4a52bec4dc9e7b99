/**
 * The methods each route handler under app/api answers (its exported GET/POST/…), so the proxy can
 * answer any other method with a 405 in the error shape and an Allow header (Next.js itself answers
 * an empty 405). lib/api/route-methods.test.ts keeps this table equal to the route files.
 */
export const routeMethods: Record<string, readonly string[]> = {
  "/api/health": ["GET"],
  "/api/payments/alipay/notify": ["POST"],
  "/api/payments/paypal/notify": ["POST"],
  "/api/payments/wechat/notify": ["POST"],
  "/api/ping": ["GET"],
  "/api/v1/auth/otp": ["POST"],
  "/api/v1/auth/otp/verify": ["POST"],
  "/api/v1/auth/password": ["POST"],
  "/api/v1/auth/register": ["POST"],
  "/api/v1/auth/token": ["POST"],
  "/api/v1/auth/tokens": ["GET"],
  "/api/v1/auth/tokens/{id}": ["DELETE"],
  "/api/v1/auth/wechat": ["POST"],
  "/api/v1/bookings": ["GET", "POST"],
  "/api/v1/bookings/{id}": ["GET"],
  "/api/v1/bookings/{id}/cancel": ["POST"],
  "/api/v1/bookings/{id}/invoice": ["GET", "POST"],
  "/api/v1/bookings/{id}/pay": ["POST"],
  "/api/v1/bookings/{id}/reschedule": ["POST"],
  "/api/v1/courses/{id}": ["GET"],
  "/api/v1/courses/{id}/book": ["POST"],
  "/api/v1/feeds/{token}": ["GET"],
  "/api/v1/me": ["DELETE"],
  "/api/v1/me/calendar-feeds": ["GET", "POST"],
  "/api/v1/me/calendar-feeds/{id}": ["DELETE"],
  "/api/v1/me/export": ["GET"],
  "/api/v1/me/passes": ["GET"],
  "/api/v1/notifications": ["GET"],
  "/api/v1/notifications/read-all": ["POST"],
  "/api/v1/notifications/{id}/read": ["POST"],
  "/api/v1/openapi.json": ["GET"],
  "/api/v1/pass-plans": ["GET"],
  "/api/v1/pass-plans/{id}/buy": ["POST"],
  "/api/v1/series": ["POST"],
  "/api/v1/series/preview": ["POST"],
  "/api/v1/series/{id}": ["GET"],
  "/api/v1/series/{id}/cancel": ["POST"],
  "/api/v1/series/{id}/pay": ["POST"],
  "/api/v1/services": ["GET"],
  "/api/v1/services/{id}/availability": ["GET"],
  "/api/v1/staff/bookings": ["GET", "POST"],
  "/api/v1/staff/bookings/{id}": ["GET"],
  "/api/v1/staff/bookings/{id}/cancel": ["POST"],
  "/api/v1/staff/bookings/{id}/complete": ["POST"],
  "/api/v1/staff/bookings/{id}/confirm": ["POST"],
  "/api/v1/staff/bookings/{id}/forgive-no-show": ["POST"],
  "/api/v1/staff/bookings/{id}/no-show": ["POST"],
  "/api/v1/staff/bookings/{id}/payments": ["POST"],
  "/api/v1/staff/calendar-feeds": ["GET", "POST"],
  "/api/v1/staff/calendar-feeds/{id}": ["DELETE"],
  "/api/v1/staff/check-in": ["POST"],
  "/api/v1/staff/conflicts": ["GET"],
  "/api/v1/staff/conflicts/{id}": ["POST"],
  "/api/v1/staff/coupons": ["GET", "POST"],
  "/api/v1/staff/courses": ["POST"],
  "/api/v1/staff/courses/{id}/roster": ["GET"],
  "/api/v1/staff/customers": ["GET"],
  "/api/v1/staff/dev-messages": ["GET"],
  "/api/v1/staff/holidays": ["GET", "POST"],
  "/api/v1/staff/holidays/{date}": ["DELETE"],
  "/api/v1/staff/outbox": ["GET"],
  "/api/v1/staff/outbox/{id}/resend": ["POST"],
  "/api/v1/staff/pass-plans": ["GET", "POST"],
  "/api/v1/staff/passes": ["POST"],
  "/api/v1/staff/passes/{id}/adjust": ["POST"],
  "/api/v1/staff/passes/{id}/refund": ["POST"],
  "/api/v1/staff/refunds/{id}/desk-return": ["POST"],
  "/api/v1/staff/resources": ["POST"],
  "/api/v1/staff/resources/{id}": ["PUT"],
  "/api/v1/staff/services": ["POST"],
  "/api/v1/staff/services/{id}": ["PATCH"],
  "/api/v1/staff/services/{id}/schedule": ["PUT"],
  "/api/v1/staff/services/{id}/timeslots/generate": ["POST"],
  "/api/v1/staff/timeslots/status": ["POST"],
  "/api/v1/staff/timeslots/{id}/waitlist": ["GET"],
  "/api/v1/staff/users/{id}/role": ["PUT"],
  "/api/v1/staff/waitlist/{id}/move": ["POST"],
  "/api/v1/timeslots/{id}/waitlist": ["POST"],
  "/api/v1/waitlist": ["GET"],
  "/api/v1/waitlist/{id}": ["DELETE"],
  "/api/v1/waitlist/{id}/accept": ["POST"],
  "/api/wechat/callback": ["GET"],
  "/api/wechat/oauth": ["GET"],
  "/api/wechat/subscribe": ["GET"],
  "/api/wechat/subscribe/callback": ["GET"],
};

const compiled = Object.entries(routeMethods).map(([template, methods]) => {
  const parts = template.split("/");
  return {
    methods,
    // Static segments first, as Next.js routes them: /notifications/read-all before /notifications/{id}.
    specificity: parts.filter((p) => !p.startsWith("{")).length,
    matches: (segments: string[]) => segments.length === parts.length && parts.every((p, i) => p.startsWith("{") || p === segments[i]),
  };
});

/** The route a path lands on and the methods it answers (GET brings HEAD; OPTIONS always), or undefined for no route. */
export function allowedMethods(pathname: string): string[] | undefined {
  const segments = pathname.replace(/\/+$/, "").split("/");
  const route = compiled.filter((r) => r.matches(segments)).sort((a, b) => b.specificity - a.specificity)[0];
  if (!route) return undefined;
  return [...route.methods, ...(route.methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"];
}
