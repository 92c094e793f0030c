// The shapes the DNS domain and the Route 53 gateway share. Names are fully qualified, lower
// case, without the trailing dot; TXT values are the text itself, unquoted (the gateway quotes,
// escapes and splits them for Route 53).

export type RecordType = "A" | "AAAA" | "CNAME" | "TXT";

export interface DnsRecord {
  name: string; // FQDN, lower case, no trailing dot
  type: RecordType;
  ttl?: number; // default 60; not for alias records
  values?: string[]; // addresses, the CNAME target, or TXT strings (unquoted)
  alias?: { dnsName: string; hostedZoneId: string; evaluateTargetHealth?: boolean };
  setIdentifier?: string; // weighted records (release strategies later)
  weight?: number;
  /**
   * The values exactly as Route 53 listed them (TXT quoted and escaped, a CNAME target as
   * written). listZoneRecords sets it; a DELETE sends these, because Route 53 deletes only a
   * record given with its current values, byte for byte.
   */
  wireValues?: string[];
}

export interface WantedRecord extends DnsRecord {
  owner: string; // an environment id
}

/** A record set as Route 53 lists it: any type (MX, NS, SOA… are other people's, but they can clash with ours). */
export interface ZoneRecord extends Omit<DnsRecord, "type"> {
  type: string;
}

export type ChangeAction = "CREATE" | "UPSERT" | "DELETE";

/**
 * The changes to one name — its records and their ownership TXT — for one owner. Applied
 * atomically: never split across requests.
 */
export interface ChangeGroup {
  owner: string;
  /** The name whose records change (the ownership TXT lives at `_corral.<name>`). */
  name: string;
  changes: { action: ChangeAction; record: DnsRecord }[];
}

export interface ZonePlan {
  /** Creates, repairs (ours changed or deleted by hand), deletes of ours no longer wanted. */
  groups: ChangeGroup[];
  /** A wanted name Corral will not take, in plain words (held by a record not ours, or wanted twice). */
  conflicts: { owner: string; name: string; reason: string }[];
  /** Wanted names already exactly as wanted. */
  live: { owner: string; name: string }[];
}

export interface ApplyResult {
  applied: { owner: string; name: string; changeId: string }[];
  /** Groups Route 53 refused (or that no single request can carry), with the reason in plain words. */
  rejected: { owner: string; name: string; reason: string }[];
}
