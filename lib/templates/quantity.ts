// Kubernetes resource quantities as Corral accepts them: a plain decimal with an optional
// SI or binary suffix ("250m", "1.5", "512Mi", "8Gi"). Exponent forms (1e3) are left out.

export const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

const FACTOR: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity as a plain number (cores, bytes, counts), or NaN when it is not one. */
export function quantityValue(quantity: string): number {
  const match = QUANTITY.exec(quantity);
  if (!match) return Number.NaN;
  const suffix = match[2] ?? "";
  return Number(quantity.slice(0, quantity.length - suffix.length)) * (FACTOR[suffix] ?? Number.NaN);
}
