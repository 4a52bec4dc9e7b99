import type { BillFiles } from "./bills";
import type { SandboxKeys } from "./keys";
import type { OrderStore, SandboxOrder, SandboxRefund } from "./store";

/** What the per-gateway request handlers get from the gateway that owns them. */
export interface SandboxContext {
  keys: SandboxKeys;
  store: OrderStore;
  /** Where the gateway is reachable, mount prefix included. */
  baseUrl: string;
  /** Bill files made for download, fetched once by token. */
  bills: BillFiles;
  now(): Date;
  /** Current time in Alipay's format (UTC+8). */
  alipayTime(): string;
  /** Address of the sandbox cashier page for an order (also what QR codes carry). */
  cashierUrl(outTradeNo: string): string;
  errorPage(status: number, message: string): Response;
  /** Marks an unpaid order closed (merchant close); sends nothing, as the gateways do. */
  close(order: SandboxOrder): void;
  /** A refund was accepted: settle it and send its notify in the background (unless refunds are held). */
  refunded(order: SandboxOrder, refund: SandboxRefund): void;
  /** True: accepted refunds of this order stay PROCESSING and nothing is sent (a notice that never comes). */
  refundsHeld(order: SandboxOrder): boolean;
  /** True: this order's refunds are refused for lack of merchant balance (Alipay ACQ.SELLER_BALANCE_NOT_ENOUGH, WeChat NOT_ENOUGH). */
  refundsRefused(order: SandboxOrder): boolean;
}
