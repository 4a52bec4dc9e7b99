import type { Resource } from "@/db/schema";

export type ResourceDto = Pick<Resource, "id" | "kind" | "name" | "userId" | "active" | "title" | "photoUrl">;

export const toResourceDto = (r: Resource): ResourceDto => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  userId: r.userId,
  active: r.active,
  title: r.title,
  photoUrl: r.photoUrl,
});
