import "server-only";
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  billArchives,
  payments,
  reconciliationItems,
  reconciliationRuns,
  refunds,
  type Payment,
  type ReconciliationRun,
  type Refund,
} from "@/db/schema";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import type { ApplyPaid } from "./apply-paid";
import { parseAlipayTradeBill, parseWechatTradeBill, totalsOf, type BillLine, type BillTotals } from "./bill-wire";
import { formatAlipayTime } from "./china-time";
import { providersSpeaking } from "./gateways";
import { reconcilePayment } from "./reconcile";
import { queryRefund } from "./refunds";
import type { DownloadedBill, PaymentProvider, ProviderName } from "./types";

/**
 * Daily reconciliation (对账): a gateway's bill of one China-time day against the ledger.
 *
 * Differences, by kind, and what is done about each without anyone touching it:
 * - lost_notice: paid at the gateway, pending or closed here → asked of the gateway and applied
 *   through the same applyPaid path as a notice (confirmed, or refunded when the seat is gone).
 * - missing_at_gateway: paid here on the day, not on the bill → asked of the gateway; paid there
 *   (booked on a neighbouring day, e.g. across midnight) resolves it as other_day.
 * - refund_lost_notice / refund_missing_at_gateway: the same for refunds (refund query).
 * - unknown_payment / unknown_refund / amount_mismatch / refund_amount_mismatch: stay open for
 *   staff, who accept the gateway's amount (the ledger row is corrected, audited) or explain it.
 * The run is matched when nothing is open and ledger + explained differences equal the bill.
 */
export type DifferenceKind =
  | "lost_notice"
  | "unknown_payment"
  | "amount_mismatch"
  | "missing_at_gateway"
  | "refund_lost_notice"
  | "unknown_refund"
  | "refund_amount_mismatch"
  | "refund_missing_at_gateway";

export type Resolution = "confirmed" | "refunded" | "other_day" | "refund_settled" | "gone" | "accepted_gateway" | "explained";

export interface LedgerTotals {
  paidFen: number;
  refundedFen: number;
  /** Differences staff resolved without a ledger change: their gateway amounts, signed like the bill. */
  explainedPaidFen: number;
  explainedRefundedFen: number;
}

const PAID_STATES: Payment["status"][] = ["paid", "partially_refunded", "refunded"];
const CHUNK = 500;

interface Difference {
  kind: DifferenceKind;
  outTradeNo: string;
  outRefundNo?: string;
  payment?: Payment;
  refund?: Refund;
  gatewayFen: number | null;
  ledgerFen: number | null;
  resolution?: Resolution;
}

const keyOf = (d: Pick<Difference, "kind" | "outTradeNo" | "outRefundNo">) =>
  [d.kind, d.outTradeNo, d.outRefundNo].filter(Boolean).join(":");

export function dayBounds(date: string): { start: Date; end: Date } {
  const start = new Date(`${date}T00:00:00+08:00`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/** Yesterday in China time: the day whose bills the gateways publish this morning. */
export function yesterdayInChina(now = new Date()): string {
  return formatAlipayTime(new Date(now.getTime() - 86_400_000)).slice(0, 10);
}

/** The provider whose bill is compared: the first configured account that speaks the protocol. */
export function billProvider(gateway: ProviderName): PaymentProvider {
  const provider = providersSpeaking(gateway)[0];
  if (!provider) throw new AppError("PAYMENT_FAILED", "paymentNotConfigured");
  return provider;
}

async function chunked<T, R>(items: T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await run(items.slice(i, i + CHUNK))));
  return out;
}

async function archive(db: Db, gateway: ProviderName, date: string, bill: DownloadedBill) {
  for (const f of bill.files) {
    const contentBase64 = Buffer.from(f.bytes).toString("base64");
    const sha256 = createHash("sha256").update(f.bytes).digest("hex");
    await db
      .insert(billArchives)
      .values({ gateway, billDate: date, name: f.name, contentBase64, sha256 })
      .onConflictDoUpdate({ target: [billArchives.gateway, billArchives.billDate, billArchives.name], set: { contentBase64, sha256 } });
  }
}

/** The day's bill as archived by an earlier run (to re-evaluate after staff resolved something). */
export async function archivedBill(db: Db, gateway: ProviderName, date: string): Promise<DownloadedBill | null> {
  const rows = await db
    .select()
    .from(billArchives)
    .where(and(eq(billArchives.gateway, gateway), eq(billArchives.billDate, date)))
    .orderBy(asc(billArchives.name));
  const trade = rows.find((r) => r.name.startsWith(`${gateway}-trade-`));
  if (!trade) return rows.length === 0 ? null : { lines: [], totals: totalsOf([]), files: [] };
  const bytes = new Uint8Array(Buffer.from(trade.contentBase64, "base64"));
  const parsed = gateway === "alipay" ? parseAlipayTradeBill(bytes) : parseWechatTradeBill(gunzipSync(bytes).toString("utf8"));
  return { ...parsed, files: [] };
}

async function ledgerSide(db: Db, gateway: ProviderName, date: string, lines: BillLine[]) {
  const { start, end } = dayBounds(date);
  const billPayments = lines.filter((l) => l.kind === "payment");
  const billRefunds = lines.filter((l) => l.kind === "refund");
  const byTradeNo = new Map(
    (
      await chunked([...new Set(lines.map((l) => l.outTradeNo))], (nos) =>
        db.select().from(payments).where(inArray(payments.outTradeNo, nos)),
      )
    ).map((p) => [p.outTradeNo, p]),
  );
  const byRefundNo = new Map(
    (
      await chunked(
        billRefunds.map((l) => l.outRefundNo ?? ""),
        (nos) => db.select().from(refunds).where(inArray(refunds.outRefundNo, nos)),
      )
    ).map((r) => [r.outRefundNo, r]),
  );
  const paidOnDay = await db
    .select()
    .from(payments)
    .where(
      and(eq(payments.gateway, gateway), inArray(payments.status, PAID_STATES), gte(payments.paidAt, start), lt(payments.paidAt, end)),
    );
  const refundedOnDay = await db
    .select({ refund: refunds, payment: payments })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(
      and(eq(payments.gateway, gateway), eq(refunds.status, "succeeded"), gte(refunds.completedAt, start), lt(refunds.completedAt, end)),
    );
  return { billPayments, billRefunds, byTradeNo, byRefundNo, paidOnDay, refundedOnDay };
}

function differences(side: Awaited<ReturnType<typeof ledgerSide>>): Difference[] {
  const out: Difference[] = [];
  const onBill = new Set(side.billPayments.map((l) => l.outTradeNo));
  for (const line of side.billPayments) {
    const p = side.byTradeNo.get(line.outTradeNo);
    const base = { outTradeNo: line.outTradeNo, gatewayFen: line.amountFen };
    if (!p) out.push({ ...base, kind: "unknown_payment", ledgerFen: null });
    else if (!PAID_STATES.includes(p.status)) out.push({ ...base, kind: "lost_notice", payment: p, ledgerFen: 0 });
    else if (p.amountFen !== line.amountFen) out.push({ ...base, kind: "amount_mismatch", payment: p, ledgerFen: p.amountFen });
  }
  for (const p of side.paidOnDay) {
    if (!onBill.has(p.outTradeNo))
      out.push({ kind: "missing_at_gateway", outTradeNo: p.outTradeNo, payment: p, gatewayFen: null, ledgerFen: p.amountFen });
  }
  const refundsOnBill = new Set(side.billRefunds.map((l) => l.outRefundNo));
  for (const line of side.billRefunds) {
    const r = line.outRefundNo ? side.byRefundNo.get(line.outRefundNo) : undefined;
    const base = { outTradeNo: line.outTradeNo, outRefundNo: line.outRefundNo, gatewayFen: line.amountFen };
    if (!r) out.push({ ...base, kind: "unknown_refund", ledgerFen: null });
    else if (r.status !== "succeeded") out.push({ ...base, kind: "refund_lost_notice", refund: r, ledgerFen: 0 });
    else if (r.amountFen !== line.amountFen) out.push({ ...base, kind: "refund_amount_mismatch", refund: r, ledgerFen: r.amountFen });
  }
  for (const { refund: r, payment: p } of side.refundedOnDay) {
    if (!refundsOnBill.has(r.outRefundNo)) {
      out.push({
        kind: "refund_missing_at_gateway",
        outTradeNo: p.outTradeNo,
        outRefundNo: r.outRefundNo,
        refund: r,
        gatewayFen: null,
        ledgerFen: r.amountFen,
      });
    }
  }
  return out;
}

/** What can be settled by asking the gateway, through the same paths as a notice or a query. */
async function autoResolve(db: Db, d: Difference, provider: PaymentProvider, applyPaid: ApplyPaid): Promise<Resolution | undefined> {
  try {
    if (d.kind === "lost_notice" && d.payment) {
      const outcome = await reconcilePayment(db, d.payment, applyPaid);
      if (outcome === "refunding") return "refunded";
      if (outcome === "confirmed" || outcome === "retaken" || outcome === "already_paid" || outcome === "duplicate") return "confirmed";
      return undefined;
    }
    if (d.kind === "missing_at_gateway" && d.payment) {
      const q = await provider.query(d.outTradeNo);
      return q.status === "paid" && q.amountFen === d.payment.amountFen ? "other_day" : undefined;
    }
    if (d.kind === "refund_lost_notice" && d.refund) {
      return (await queryRefund(db, d.refund.id)) === "succeeded" ? "refund_settled" : undefined;
    }
    if (d.kind === "refund_missing_at_gateway" && d.refund && d.outRefundNo) {
      const q = await provider.queryRefund({ outTradeNo: d.outTradeNo, outRefundNo: d.outRefundNo });
      return q.status === "succeeded" && q.amountFen === d.refund.amountFen ? "other_day" : undefined;
    }
  } catch (e) {
    console.warn(`[reconciliation] ${keyOf(d)} could not be settled automatically:`, e instanceof Error ? e.message : e);
  }
  return undefined;
}

/** Ledger totals of the day's bill lines after resolution, plus what staff explained. */
async function ledgerTotals(db: Db, gateway: ProviderName, date: string, lines: BillLine[], runId: string): Promise<LedgerTotals> {
  const side = await ledgerSide(db, gateway, date, lines);
  const items = await db.select().from(reconciliationItems).where(eq(reconciliationItems.runId, runId));
  const otherDay = new Set(items.filter((i) => i.resolution === "other_day").map((i) => i.outRefundNo ?? i.outTradeNo));
  const t: LedgerTotals = { paidFen: 0, refundedFen: 0, explainedPaidFen: 0, explainedRefundedFen: 0 };
  const paidCounted = new Set<string>();
  for (const line of side.billPayments) {
    const p = side.byTradeNo.get(line.outTradeNo);
    if (p && PAID_STATES.includes(p.status)) {
      t.paidFen += p.amountFen;
      paidCounted.add(p.outTradeNo);
    }
  }
  for (const p of side.paidOnDay) if (!paidCounted.has(p.outTradeNo) && !otherDay.has(p.outTradeNo)) t.paidFen += p.amountFen;
  const refundCounted = new Set<string>();
  for (const line of side.billRefunds) {
    const r = line.outRefundNo ? side.byRefundNo.get(line.outRefundNo) : undefined;
    if (r?.status === "succeeded") {
      t.refundedFen += r.amountFen;
      refundCounted.add(r.outRefundNo);
    }
  }
  for (const { refund: r } of side.refundedOnDay) {
    if (!refundCounted.has(r.outRefundNo) && !otherDay.has(r.outRefundNo)) t.refundedFen += r.amountFen;
  }
  for (const i of items) {
    if (i.resolution !== "explained") continue;
    const delta = (i.gatewayFen ?? 0) - (i.ledgerFen ?? 0);
    if (i.kind.startsWith("refund") || i.kind === "unknown_refund") t.explainedRefundedFen += delta;
    else t.explainedPaidFen += delta;
  }
  return t;
}

export interface ReconcileOptions {
  /** "archive": re-evaluate against the bill an earlier run archived (after a staff resolution). */
  source?: "gateway" | "archive";
  provider?: PaymentProvider;
}

/**
 * Reconciles one gateway's day. Safe to run again: differences are kept by key, staff
 * resolutions stay, and a difference that disappeared (a late notice came) is resolved as gone.
 */
export async function reconcileBillDay(
  db: Db,
  gateway: ProviderName,
  date: string,
  applyPaid: ApplyPaid,
  options: ReconcileOptions = {},
): Promise<ReconciliationRun> {
  const [run] = await db
    .insert(reconciliationRuns)
    .values({ gateway, billDate: date, status: "running" })
    .onConflictDoUpdate({ target: [reconciliationRuns.gateway, reconciliationRuns.billDate], set: { startedAt: sql`now()`, error: null } })
    .returning();
  if (!run) throw new Error("reconciliation run not written");
  const provider = options.provider ?? billProvider(gateway);
  let bill: DownloadedBill | null;
  try {
    bill = options.source === "archive" ? await archivedBill(db, gateway, date) : await provider.downloadBill(date);
    if (!bill) throw new Error("no archived bill for this day");
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    const [failed] = await db
      .update(reconciliationRuns)
      .set({ status: "failed", error: error.slice(0, 500), finishedAt: new Date() })
      .where(eq(reconciliationRuns.id, run.id))
      .returning();
    return failed ?? run;
  }
  if (bill.files.length > 0) await archive(db, gateway, date, bill);

  const found = differences(await ledgerSide(db, gateway, date, bill.lines));
  const existing = await db.select().from(reconciliationItems).where(eq(reconciliationItems.runId, run.id));
  const resolvedBefore = new Set(existing.filter((i) => i.status === "resolved").map((i) => i.key));
  for (const d of found) {
    if (!resolvedBefore.has(keyOf(d))) d.resolution = await autoResolve(db, d, provider, applyPaid);
  }
  const now = new Date();
  for (const d of found) {
    const auto = d.resolution ? { status: "resolved", resolution: d.resolution, resolvedAt: now } : {};
    await db
      .insert(reconciliationItems)
      .values({
        runId: run.id,
        key: keyOf(d),
        kind: d.kind,
        outTradeNo: d.outTradeNo,
        outRefundNo: d.outRefundNo ?? null,
        paymentId: d.payment?.id ?? null,
        refundId: d.refund?.id ?? null,
        gatewayFen: d.gatewayFen,
        ledgerFen: d.ledgerFen,
        ...auto,
      })
      .onConflictDoUpdate({
        target: [reconciliationItems.runId, reconciliationItems.key],
        set: { gatewayFen: d.gatewayFen, ledgerFen: d.ledgerFen, ...auto },
        setWhere: eq(reconciliationItems.status, "open"),
      });
  }
  const stillThere = new Set(found.map(keyOf));
  const gone = existing.filter((i) => i.status === "open" && !stillThere.has(i.key)).map((i) => i.id);
  if (gone.length > 0) {
    await db
      .update(reconciliationItems)
      .set({ status: "resolved", resolution: "gone", resolvedAt: now })
      .where(inArray(reconciliationItems.id, gone));
  }

  const ledger = await ledgerTotals(db, gateway, date, bill.lines, run.id);
  const open = await db
    .select({ id: reconciliationItems.id })
    .from(reconciliationItems)
    .where(and(eq(reconciliationItems.runId, run.id), eq(reconciliationItems.status, "open")));
  const totals: BillTotals = bill.totals;
  const balanced =
    ledger.paidFen + ledger.explainedPaidFen === totals.paidFen && ledger.refundedFen + ledger.explainedRefundedFen === totals.refundedFen;
  const [done] = await db
    .update(reconciliationRuns)
    .set({
      status: open.length === 0 && balanced ? "matched" : "differences",
      gatewayTotals: { ...totals },
      ledgerTotals: { ...ledger },
      finishedAt: new Date(),
    })
    .where(eq(reconciliationRuns.id, run.id))
    .returning();
  if (found.some((d) => d.resolution) || open.length > 0) {
    await audit(db, {
      actorLabel: "system",
      action: "reconciliation.ran",
      entityType: "reconciliation",
      entityId: run.id,
      data: { gateway, date, differences: found.length, open: open.length },
    });
  }
  return done ?? run;
}

export type StaffResolution = { action: "accept_gateway" | "explain"; note: string };

/**
 * Staff settle an open difference: accept the gateway's amount (the payment or refund row is
 * corrected to what the gateway took, audited) or explain it (a note; counted as explained).
 * The day is then re-evaluated against its archived bill.
 */
export async function resolveDifference(
  db: Db,
  itemId: string,
  actorId: string,
  resolution: StaffResolution,
  applyPaid: ApplyPaid,
): Promise<ReconciliationRun> {
  const runId = await db.transaction(async (tx) => {
    const [item] = await tx.select().from(reconciliationItems).where(eq(reconciliationItems.id, itemId)).for("update");
    if (!item) throw new AppError("NOT_FOUND", "reconciliationNotFound");
    if (item.status !== "open") throw new AppError("CONFLICT", "reconciliationResolved");
    if (resolution.action === "accept_gateway") {
      if (
        item.gatewayFen === null ||
        !((item.kind === "amount_mismatch" && item.paymentId) || (item.kind === "refund_amount_mismatch" && item.refundId))
      ) {
        throw new AppError("VALIDATION_FAILED", "reconciliationCannotAccept");
      }
      if (item.paymentId) {
        const [before] = await tx.select().from(payments).where(eq(payments.id, item.paymentId));
        if (!before || before.refundedFen > item.gatewayFen) throw new AppError("VALIDATION_FAILED", "reconciliationCannotAccept");
        await tx.update(payments).set({ amountFen: item.gatewayFen }).where(eq(payments.id, item.paymentId));
        await audit(tx, {
          actorId,
          action: "payment.amount_corrected",
          entityType: "payment",
          entityId: item.paymentId,
          reason: resolution.note,
          data: { from: before?.amountFen, to: item.gatewayFen, reconciliationItem: item.id },
        });
      } else if (item.refundId) {
        const [refund] = await tx.select().from(refunds).where(eq(refunds.id, item.refundId));
        if (!refund) throw new AppError("NOT_FOUND", "reconciliationNotFound");
        // The payment's refunded total moves with it (its check keeps it within the amount paid).
        const delta = item.gatewayFen - refund.amountFen;
        const [moved] = await tx
          .update(payments)
          .set({ refundedFen: sql`${payments.refundedFen} + ${delta}` })
          .where(and(eq(payments.id, refund.paymentId), sql`${payments.refundedFen} + ${delta} between 0 and ${payments.amountFen}`))
          .returning({ id: payments.id });
        if (!moved) throw new AppError("VALIDATION_FAILED", "reconciliationCannotAccept");
        await tx.update(refunds).set({ amountFen: item.gatewayFen }).where(eq(refunds.id, item.refundId));
        await audit(tx, {
          actorId,
          action: "refund.amount_corrected",
          entityType: "refund",
          entityId: item.refundId,
          reason: resolution.note,
          data: { from: item.ledgerFen, to: item.gatewayFen, reconciliationItem: item.id },
        });
      }
    }
    await tx
      .update(reconciliationItems)
      .set({
        status: "resolved",
        resolution: resolution.action === "accept_gateway" ? "accepted_gateway" : "explained",
        note: resolution.note,
        resolvedBy: actorId,
        resolvedAt: new Date(),
      })
      .where(eq(reconciliationItems.id, item.id));
    await audit(tx, {
      actorId,
      action: "reconciliation.resolved",
      entityType: "reconciliation",
      entityId: item.runId,
      reason: resolution.note,
      data: { item: item.id, kind: item.kind, outTradeNo: item.outTradeNo, action: resolution.action },
    });
    return item.runId;
  });
  const [run] = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, runId));
  if (!run) throw new AppError("NOT_FOUND", "reconciliationNotFound");
  return reconcileBillDay(db, run.gateway as ProviderName, run.billDate, applyPaid, { source: "archive" });
}
