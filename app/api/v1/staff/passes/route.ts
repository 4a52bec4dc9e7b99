import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/handler";
import { toPassDto } from "@/lib/passes/queries";
import { sellPassAtDesk } from "@/lib/passes/sell-pass";
import { deskSaleSchema } from "@/lib/validations/passes";

/** A card sold at the desk (cash, card terminal, other), recorded with who sold it. */
export const POST = apiRoute({ auth: "staff", body: deskSaleSchema }, async ({ body, user }) => {
  const { pass, sale } = await sellPassAtDesk({ ...body, actorId: user.id });
  return NextResponse.json(
    { pass: toPassDto(pass), sale: { id: sale.id, method: sale.method, amountFen: sale.amountFen, status: sale.status } },
    { status: 201 },
  );
});
