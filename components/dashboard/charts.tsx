"use client";

import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DayStats, Occupancy } from "@/lib/dashboard/overview-queries";
import { EmptyState } from "./ui";

const day = (d: string) => d.slice(5);
const yuan = (fen: number) => Math.round(fen) / 100;
const COLORS = { booked: "#ea580c", completed: "#0284c7", noShow: "#e11d48", cancelled: "#a8a29e", paid: "#059669", refunded: "#f59e0b" };

function Frame({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <figure className="rounded-xl border border-stone-200 bg-white p-3" data-testid={testId}>
      <figcaption className="mb-2 text-sm font-semibold">{title}</figcaption>
      <div className="h-56 w-full">{children}</div>
    </figure>
  );
}

export function OverviewCharts({ days, byService, byResource }: { days: DayStats[]; byService: Occupancy[]; byResource: Occupancy[] }) {
  const t = useTranslations("dash.charts");
  const perDay = days.map((d) => ({
    ...d,
    label: day(d.day),
    paid: yuan(d.paidFen),
    refunded: yuan(d.refundedFen),
    noShowPct: d.noShowRate === null ? null : Math.round(d.noShowRate * 1000) / 10,
  }));
  const occupancy = (rows: Occupancy[]) =>
    rows.map((r) => ({ name: r.name, pct: Math.round(r.rate * 1000) / 10, seats: `${r.bookedSeats}/${r.capacity}` }));
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <Frame title={t("bookingsPerDay")} testId="chart-bookings">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={perDay} margin={{ left: -20, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={11} />
            <YAxis allowDecimals={false} fontSize={11} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="booked" name={t("booked")} fill={COLORS.booked} />
            <Bar dataKey="cancelled" name={t("cancelled")} fill={COLORS.cancelled} />
          </BarChart>
        </ResponsiveContainer>
      </Frame>
      <Frame title={t("revenue")} testId="chart-revenue">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={perDay} margin={{ left: -10, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={11} />
            <YAxis fontSize={11} />
            <Tooltip formatter={(v) => `¥${Number(v).toFixed(2)}`} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="paid" name={t("paid")} fill={COLORS.paid} />
            <Bar dataKey="refunded" name={t("refunded")} fill={COLORS.refunded} />
          </BarChart>
        </ResponsiveContainer>
      </Frame>
      {(["service", "resource"] as const).map((kind) => {
        const rows = occupancy(kind === "service" ? byService : byResource);
        return (
          <Frame key={kind} title={t(kind === "service" ? "occupancyByService" : "occupancyByResource")} testId={`chart-occupancy-${kind}`}>
            {rows.length === 0 ? (
              <EmptyState>{t("noSlots")}</EmptyState>
            ) : (
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 16 }}>
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis type="number" domain={[0, 100]} unit="%" fontSize={11} />
                  <YAxis type="category" dataKey="name" width={110} fontSize={11} />
                  <Tooltip formatter={(v, _n, item) => [`${v}% (${(item.payload as { seats: string }).seats})`, t("occupancy")]} />
                  <Bar dataKey="pct" name={t("occupancy")} fill={COLORS.completed} />
                </BarChart>
              </ResponsiveContainer>
            )}
          </Frame>
        );
      })}
      <Frame title={t("noShowRate")} testId="chart-no-show">
        {perDay.every((d) => d.noShowPct === null) ? (
          <EmptyState>{t("noneDue")}</EmptyState>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={perDay} margin={{ left: -20, right: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" fontSize={11} />
              <YAxis unit="%" domain={[0, 100]} fontSize={11} />
              <Tooltip formatter={(v) => `${v}%`} />
              <Line type="monotone" dataKey="noShowPct" name={t("noShowRate")} stroke={COLORS.noShow} connectNulls dot />
            </LineChart>
          </ResponsiveContainer>
        )}
      </Frame>
    </div>
  );
}
