/**
 * Cache-Control for public GETs a CDN may share. Short lifetimes: a staff edit or a booking shows
 * within seconds, and the server's own cache (exactly invalidated) answers the revalidations.
 * Answers to a signed-in caller (Authorization) carry their own reasons and stay private.
 */
export const PUBLIC_LIST_CACHE = "public, max-age=10, s-maxage=10, stale-while-revalidate=60";
export const PUBLIC_AVAILABILITY_CACHE = "public, max-age=5, s-maxage=5, stale-while-revalidate=30";
export const PRIVATE_NO_STORE = "private, no-store";
