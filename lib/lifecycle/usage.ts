import type { EnvironmentPower } from "@/lib/db/generated/enums";

// What an environment requests of its cluster, and what that costs over time: the ground of
// the cost estimates. Pure, so the lead's view, the environment's page and the reports agree.

/** Requests of containers that name none: the LimitRange default of lib/kube/manifests.ts. */
export const DEFAULT_REQUESTS = { cpu: "50m", memory: "64Mi" } as const;

export interface UsageComponent {
  replicas: number;
  persistent: boolean;
  resources: unknown;
}

export interface Requests {
  /** CPU cores and GiB of memory running now… */
  cpu: number;
  memoryGib: number;
  /** …and when everything is awake. */
  fullCpu: number;
  fullMemoryGib: number;
}

/** What runs in this power state (persistent components stay up asleep), and what runs awake. */
export function requestsOf(components: UsageComponent[], power: EnvironmentPower): Requests {
  let cpu = 0;
  let memoryGib = 0;
  let fullCpu = 0;
  let fullMemoryGib = 0;
  for (const c of components) {
    const requests = requestsField(c.resources);
    const oneCpu = parseCpu(requests.cpu ?? DEFAULT_REQUESTS.cpu);
    const oneMemory = parseMemoryGib(requests.memory ?? DEFAULT_REQUESTS.memory);
    fullCpu += oneCpu * c.replicas;
    fullMemoryGib += oneMemory * c.replicas;
    if (power === "awake" || c.persistent) {
      cpu += oneCpu * c.replicas;
      memoryGib += oneMemory * c.replicas;
    }
  }
  return { cpu: round(cpu), memoryGib: round(memoryGib), fullCpu: round(fullCpu), fullMemoryGib: round(fullMemoryGib) };
}

export interface Interval {
  power: EnvironmentPower;
  startedAt: Date;
  endedAt: Date | null;
  cpu: number;
  memoryGib: number;
  fullCpu: number;
  fullMemoryGib: number;
}

export interface Prices {
  cpuHourPrice: number;
  memoryGibHourPrice: number;
}

export interface Cost {
  /** What it cost: requested CPU and memory over the time they ran. */
  cost: number;
  /** What sleeping saved: what was not running while asleep. */
  saved: number;
  awakeHours: number;
  asleepHours: number;
}

/** The cost of these stretches between `from` and `to` (open ones run until `to`). */
export function costOf(intervals: Interval[], prices: Prices, to: Date, from: Date = new Date(0)): Cost {
  let cost = 0;
  let saved = 0;
  let awakeHours = 0;
  let asleepHours = 0;
  for (const i of intervals) {
    const start = Math.max(i.startedAt.getTime(), from.getTime());
    const end = Math.min((i.endedAt ?? to).getTime(), to.getTime());
    if (end <= start) continue;
    const hours = (end - start) / 3_600_000;
    cost += hours * priceOf(i.cpu, i.memoryGib, prices);
    if (i.power === "asleep") {
      asleepHours += hours;
      saved += hours * priceOf(i.fullCpu - i.cpu, i.fullMemoryGib - i.memoryGib, prices);
    } else awakeHours += hours;
  }
  return { cost: money(cost), saved: money(saved), awakeHours: round(awakeHours), asleepHours: round(asleepHours) };
}

export function priceOf(cpu: number, memoryGib: number, prices: Prices): number {
  return cpu * prices.cpuHourPrice + memoryGib * prices.memoryGibHourPrice;
}

/** Kubernetes CPU quantities: "2", "0.5", "250m". Anything else counts as the default. */
export function parseCpu(quantity: string | number): number {
  if (typeof quantity === "number") return quantity;
  const m = /^(\d+(?:\.\d+)?)(m)?$/.exec(quantity.trim());
  if (!m) return parseCpu(DEFAULT_REQUESTS.cpu);
  return Number(m[1]) / (m[2] ? 1000 : 1);
}

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Kubernetes memory quantities in GiB: "512Mi", "1Gi", "1G", "134217728". */
export function parseMemoryGib(quantity: string | number): number {
  if (typeof quantity === "number") return quantity / 1024 ** 3;
  const m = /^(\d+(?:\.\d+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity.trim());
  if (!m) return parseMemoryGib(DEFAULT_REQUESTS.memory);
  return (Number(m[1]) * MEMORY_UNITS[m[2] ?? ""]!) / 1024 ** 3;
}

function requestsField(resources: unknown): { cpu?: string | number; memory?: string | number } {
  if (typeof resources !== "object" || resources === null) return {};
  const requests = (resources as { requests?: unknown }).requests;
  if (typeof requests !== "object" || requests === null) return {};
  const r = requests as Record<string, unknown>;
  const pick = (v: unknown) => (typeof v === "string" || typeof v === "number" ? v : undefined);
  return { cpu: pick(r["cpu"]), memory: pick(r["memory"]) };
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

/** To the cent. */
export function money(n: number): number {
  return Math.round(n * 100) / 100;
}
