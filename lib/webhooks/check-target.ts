import "server-only";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { hostOf, isPrivateAddress, privateRefusal, privateTargetProblem } from "./target-address";

const RESOLVE_WITHIN_MS = 3_000;

/**
 * A 400 on `url` when it points at a private address and that is not allowed: its literal
 * address, or what its name resolves to now. A name that does not resolve yet is accepted (the
 * receiver may not be up); every delivery checks the addresses it connects to anyway.
 */
export async function assertTargetAllowed(raw: string): Promise<void> {
  if (config().CORRAL_WEBHOOKS_ALLOW_PRIVATE) return;
  const refuse = (message: string) => new AppError("invalid_input", "Some fields are not valid.", { url: [message] });
  const literal = privateTargetProblem(raw);
  if (literal) throw refuse(literal);
  const host = hostOf(new URL(raw));
  if (isIP(host) !== 0) return;
  const addresses = await Promise.race([
    lookup(host, { all: true }).catch(() => []),
    new Promise<[]>((resolve) => setTimeout(() => resolve([]), RESOLVE_WITHIN_MS).unref()),
  ]);
  const inside = addresses.find((a) => isPrivateAddress(a.address));
  if (inside) throw refuse(privateRefusal(`${host} (${inside.address})`));
}
