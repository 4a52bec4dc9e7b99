import type { InvoiceRequest } from "@/db/schema";

/** A fapiao request as the API shows it. */
export function invoiceDto(i: InvoiceRequest) {
  return {
    id: i.id,
    bookingId: i.bookingId,
    kind: i.kind as "personal" | "company",
    title: i.title,
    taxNo: i.taxNo,
    email: i.email,
    amountFen: i.amountFen,
    status: i.status as "requested" | "issued",
    invoiceNo: i.invoiceNo,
    issuedAt: i.issuedAt?.toISOString() ?? null,
    createdAt: i.createdAt.toISOString(),
  };
}
