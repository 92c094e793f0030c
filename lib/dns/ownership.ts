// How Corral marks a record as its own, as external-dns does with its TXT registry, without
// external-dns's known ways of losing track:
//
// - Beside every name Corral holds, one TXT record set at `_corral.<name>` (a CNAME cannot
//   share its name with a TXT, so the TXT cannot live at the name itself). It has one value per
//   record set Corral owns at the name:
//     "heritage=corral,installation=<id>,owner=<environment id>,type=<A|AAAA|CNAME|TXT>"
//   and for a weighted record set, one value per SetIdentifier, with `,set=<SetIdentifier>`.
//   Values are URI-encoded, so a comma or '=' in an id cannot change the meaning.
// - The prefix is a constant, not a setting: external-dns orphans every record it made when
//   someone changes its --txt-prefix, because it no longer finds their TXT.
// - The TXT is created, changed and deleted in the same atomic change as its records
//   (external-dns leaves TXT records behind after deleting), and a change of type at a name
//   (A → CNAME) deletes the old record and rewrites the TXT in that change (external-dns orphans
//   the old-type record and its TXT).

export const OWNERSHIP_PREFIX = "_corral.";
export const OWNERSHIP_TTL = 300;
const HERITAGE = "corral";

export interface Claim {
  installation: string;
  owner: string;
  type: string;
  setIdentifier?: string;
}

export function ownershipName(name: string): string {
  return `${OWNERSHIP_PREFIX}${name}`;
}

/** The name an ownership TXT speaks for, or undefined when the name is not one. */
export function ownedNameOf(name: string): string | undefined {
  return name.startsWith(OWNERSHIP_PREFIX) ? name.slice(OWNERSHIP_PREFIX.length) : undefined;
}

export function formatClaim(claim: Claim): string {
  const pairs: [string, string][] = [
    ["heritage", HERITAGE],
    ["installation", claim.installation],
    ["owner", claim.owner],
    ["type", claim.type],
  ];
  if (claim.setIdentifier !== undefined) pairs.push(["set", claim.setIdentifier]);
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join(",");
}

/** A claim written by some Corral installation, or undefined for any other text. */
export function parseClaim(text: string): Claim | undefined {
  const fields = new Map<string, string>();
  for (const pair of text.split(",")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) return undefined;
    try {
      fields.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)));
    } catch {
      return undefined;
    }
  }
  const installation = fields.get("installation");
  const owner = fields.get("owner");
  const type = fields.get("type");
  if (fields.get("heritage") !== HERITAGE || !installation || !owner || !type) return undefined;
  return { installation, owner, type, ...(fields.has("set") ? { setIdentifier: fields.get("set") } : {}) };
}

/** The key of a record set within its name: type and SetIdentifier. */
export function setKey(r: { type: string; setIdentifier?: string }): string {
  return r.setIdentifier === undefined ? r.type : `${r.type}/${r.setIdentifier}`;
}
