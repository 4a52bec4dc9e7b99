/** Who is acting on a domain call: the signed-in user's id and role (booking, payments and the dashboard share it). */
export type Actor = { id: string; role: "customer" | "staff" | "admin" };
