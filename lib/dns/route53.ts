import "server-only";
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  type RRType,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { ROUTE53_RETRY, ROUTE53_SDK_RETRY } from "@/lib/aws-retry";
import { log } from "@/lib/log";
import { abortableSleep, backoffDelay } from "./backoff";
import { DnsProblem, describeFailure, isRefusedBatch, isTransient, problemFrom, refusalMessages } from "./dns-problem";
import { ROUTE53_LIMITS, packGroups } from "./pack-changes";
import { TokenBucket } from "./token-bucket";
import type { ApplyResult, ChangeGroup, ZoneRecord } from "./types";
import { fromWire, normalizeName, toWire } from "./wire-format";

// The only code that talks to Route 53. Every request passes one token bucket for the process
// (Route 53 allows an account 5 requests a second, shared with every other tool in it) and one
// retry loop with jittered exponential backoff for what passes by itself: Throttling,
// PriorRequestNotComplete, 5xx, dropped connections. Change batches are packed within Route
// 53's limits; a batch Route 53 refuses is bisected until the good groups are in and each bad
// one is reported with Route 53's reason.

export const ROUTE53_REQUESTS_PER_SECOND = 5;
const BURST = 2;
// GetChange: Route 53 takes seconds to a minute to reach INSYNC (the AWS CLI's waiter asks every
// 30 s); the first question after a second, then less and less often, at most 10 s apart.
const SYNC_POLL = { baseDelayMs: 1_000, maxDelayMs: 10_000 };
const PAGE_SIZE = 300; // Route 53 returns at most 300 record sets a page

interface Shared {
  client: Route53Client;
  bucket: TokenBucket;
}

// One client and one bucket per process (kept on globalThis so a dev server's reloads share them).
const globalForRoute53 = globalThis as unknown as { corralRoute53?: Shared };

function shared(): Shared {
  globalForRoute53.corralRoute53 ??= {
    client: new Route53Client({
      // Endpoint (AWS_ENDPOINT_URL_ROUTE_53) and credentials come from the SDK's standard chain.
      // Route 53 is a global service signed in us-east-1, so a missing region is not an error.
      region: process.env.AWS_REGION || "us-east-1",
      // The SDK's retries are off: they are call()'s below, paced by the bucket (lib/aws-retry.ts says why).
      ...ROUTE53_SDK_RETRY,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    }),
    bucket: new TokenBucket(ROUTE53_REQUESTS_PER_SECOND, BURST),
  };
  return globalForRoute53.corralRoute53;
}

/** The process's Route 53 client. Prefer the functions below: they pace and retry; the bare client does neither. */
export function route53Client(): Route53Client {
  return shared().client;
}

/** A hosted zone by its id (`Z…`, `/hostedzone/Z…`) or its domain; for a domain with a public and a private zone, the public one. */
export async function findZone(zone: string, options: { signal?: AbortSignal } = {}): Promise<{ id: string; name: string }> {
  const given = zone.trim();
  if (/^(\/?hostedzone\/)?Z[A-Z0-9]+$/i.test(given)) {
    const id = given.replace(/^\/?hostedzone\//, "");
    const answer = await call("GetHostedZone", (abortSignal) => route53Client().send(new GetHostedZoneCommand({ Id: id }), { abortSignal }), options.signal);
    return { id, name: normalizeName(answer.HostedZone?.Name ?? "") };
  }
  const name = normalizeName(given);
  const answer = await call("ListHostedZonesByName", (abortSignal) => route53Client().send(new ListHostedZonesByNameCommand({ DNSName: name, MaxItems: 100 }), { abortSignal }), options.signal);
  const named = (answer.HostedZones ?? []).filter((z) => normalizeName(z.Name ?? "") === name);
  const publicZones = named.filter((z) => !z.Config?.PrivateZone);
  const candidates = publicZones.length > 0 ? publicZones : named;
  const ids = candidates.map((z) => (z.Id ?? "").replace(/^\/?hostedzone\//, ""));
  if (ids.length === 0) throw new DnsProblem("not-found", `Route 53 has no hosted zone named ${name}`);
  if (ids.length > 1) throw new DnsProblem("invalid", `Route 53 has ${ids.length} hosted zones named ${name} (${ids.join(", ")}); name one by its id`);
  return { id: ids[0]!, name };
}

/** Every record set in the zone, every page of ListResourceRecordSets. */
export async function listZoneRecords(zoneId: string, options: { signal?: AbortSignal } = {}): Promise<ZoneRecord[]> {
  const records: ZoneRecord[] = [];
  let start: { StartRecordName?: string; StartRecordType?: RRType; StartRecordIdentifier?: string } = {};
  for (;;) {
    const page = await call(
      "ListResourceRecordSets",
      (abortSignal) => route53Client().send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: PAGE_SIZE, ...start }), { abortSignal }),
      options.signal,
    );
    records.push(...(page.ResourceRecordSets ?? []).map(fromWire));
    if (!page.IsTruncated || !page.NextRecordName) return records;
    start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
  }
}

/**
 * Applies change groups in as few requests as the limits allow. A request Route 53 refuses
 * (InvalidChangeBatch) is split in halves, by groups, until every good group is in and every bad
 * one is reported alone with Route 53's reason: one invalid change never holds back the others.
 * Anything else that does not pass with retries throws a DnsProblem whose `partial` says what
 * was applied before it.
 */
export async function applyChanges(zoneId: string, groups: ChangeGroup[], options: { signal?: AbortSignal } = {}): Promise<ApplyResult> {
  const result: ApplyResult = { applied: [], rejected: [] };
  const { batches, oversized } = packGroups(groups);
  for (const { group, cost } of oversized) {
    result.rejected.push({
      owner: group.owner,
      name: group.name,
      reason: `the change to ${group.name} is too large for one Route 53 request: ${cost.records} records and ${cost.valueCharacters} characters of values, where a request carries at most ${ROUTE53_LIMITS.records} and ${ROUTE53_LIMITS.valueCharacters}`,
    });
  }

  const submit = async (batch: ChangeGroup[]): Promise<void> => {
    const changes = batch.flatMap((g) => g.changes.map((c) => ({ Action: c.action, ResourceRecordSet: toWire(c.record) })));
    try {
      // A CREATE or DELETE retried after a dropped connection may find its own first try applied
      // and be refused ("already exists"); the next sync's listing sees the record as wanted.
      const answer = await call(
        "ChangeResourceRecordSets",
        (abortSignal) =>
          route53Client().send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Comment: `Corral: ${batch.length} ${batch.length === 1 ? "name" : "names"}`, Changes: changes } }), {
            abortSignal,
          }),
        options.signal,
      );
      const changeId = (answer.ChangeInfo?.Id ?? "").replace(/^\/?change\//, "");
      for (const g of batch) result.applied.push({ owner: g.owner, name: g.name, changeId });
    } catch (error) {
      if (!isRefusedBatch(error)) throw error;
      if (batch.length === 1) {
        const group = batch[0]!;
        result.rejected.push({ owner: group.owner, name: group.name, reason: `Route 53 refused the change to ${group.name}: ${refusalMessages(error).join("; ")}` });
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await submit(batch.slice(0, half));
      await submit(batch.slice(half));
    }
  };

  try {
    for (const batch of batches) await submit(batch);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const problem = problemFrom(error, 1);
    throw new DnsProblem(problem.kind, problem.message, { cause: problem.cause, partial: result });
  }
  return result;
}

/**
 * Waits until Route 53 reports the changes INSYNC (on all its name servers), or the timeout.
 * Route 53 has no watch or notification for a change: GetChange, asked again with backoff, is
 * the only way to know. Changes are asked about oldest first, and a round stops at the first
 * still PENDING — later ones almost never finish before it, and the next round asks again — so
 * waiting on many changes costs about one request per change, never a wrong answer.
 */
export async function waitInSync(changeIds: string[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<{ inSync: string[]; pending: string[] }> {
  const pending = [...new Set(changeIds.map((id) => id.replace(/^\/?change\//, "")))];
  const inSync: string[] = [];
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  const signal = AbortSignal.any(signals);
  try {
    for (let round = 0; pending.length > 0; round++) {
      // A change just made is never INSYNC yet: every round, the first included, begins with a pause.
      await abortableSleep(pollDelay(round), signal);
      while (pending.length > 0) {
        let status: string | undefined;
        try {
          const id = pending[0]!;
          status = (await call("GetChange", (abortSignal) => route53Client().send(new GetChangeCommand({ Id: id }), { abortSignal }), signal)).ChangeInfo?.Status;
        } catch (error) {
          if (signal.aborted) throw error;
          // Still failing after retries: ask again next round, as long as the timeout allows.
          if (error instanceof DnsProblem && error.kind === "unavailable") break;
          throw error;
        }
        if (status !== "INSYNC") break;
        inSync.push(pending.shift()!);
      }
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (!signal.aborted) throw error;
  }
  return { inSync, pending };
}

/**
 * One Route 53 request: a token from the bucket, then the request; what passes by itself is
 * tried again after a jittered, growing pause, up to ROUTE53_RETRY.attempts tries in all. A
 * refused batch is thrown as Route 53 answered (applyChanges bisects it); any other failure as a
 * DnsProblem in plain words.
 */
async function call<T>(operation: string, send: (abortSignal?: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const { bucket } = shared();
  for (let attempt = 1; ; attempt++) {
    await bucket.take(signal);
    try {
      return await send(signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (isRefusedBatch(error)) throw error;
      if (!isTransient(error) || attempt >= ROUTE53_RETRY.attempts) {
        const problem = problemFrom(error, attempt);
        log.warn({ operation, tries: attempt, reason: problem.message }, "route 53 request failed");
        throw problem;
      }
      log.debug({ operation, attempt, reason: describeFailure(error, attempt) }, "route 53 request will be tried again");
      await abortableSleep(backoffDelay(attempt - 1, ROUTE53_RETRY), signal);
    }
  }
}

function pollDelay(round: number): number {
  // Half fixed, half random: polls of several waiters spread out, yet none comes back at once.
  const ceiling = Math.min(SYNC_POLL.maxDelayMs, SYNC_POLL.baseDelayMs * 2 ** round);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
