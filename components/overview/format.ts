// How the lead's view writes amounts and lifecycle events: one place, so the table, the
// totals, the dialog and the charts agree.

const formats = new Map<string, Intl.NumberFormat>();

/** 12.5 in USD → "$12.50"; a code Intl does not know is written after the number. */
export function formatMoney(amount: number, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat("en", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch {
      format = new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    formats.set(currency, format);
  }
  const text = format.format(amount);
  return format.resolvedOptions().style === "currency" ? text : `${text} ${currency}`;
}

export const FORECAST_LABELS = {
  warn: "Owner warned",
  sleep: "Put to sleep",
  expire: "Destroyed at expiry",
  "destroy-asleep": "Destroyed after sleeping",
} as const;
