import type { S3ClientConfig } from "@aws-sdk/client-s3";
import type { Route53ClientConfig } from "@aws-sdk/client-route-53";
import type { RetryPolicy } from "@/lib/dns/backoff";

// How Corral's AWS clients retry, decided here and nowhere else (Kubernetes has its own in
// lib/kube/retry-policy.ts). What passes by itself — throttling, 5xx, timeouts, dropped
// connections — is retried a few times with jittered exponential backoff; what the caller's job
// sees after that is a transient failure it waits out with a capped backoff (lib/jobs), never a
// reason to give up. Refusals (access denied, no such bucket, an invalid change) are not retried.

/**
 * S3 (data copies, stores, connection tests): the SDK's adaptive mode — its standard retries
 * (throttling errors such as SlowDown wait longer than other errors; a Retry-After is honoured),
 * plus a client-side rate limiter that slows the client's own requests once S3 throttles it,
 * so a copy's many parallel requests back off together instead of each hammering a throttled
 * bucket. Five tries a request: a copy that still fails is run again by its job from the start.
 */
export const S3_RETRY = { retryMode: "adaptive", maxAttempts: 5 } as const satisfies Pick<S3ClientConfig, "retryMode" | "maxAttempts">;

/**
 * Route 53: the SDK does not retry (one send is one request). Route 53 allows an account five
 * requests a second, so every request of the process passes one token bucket, and its retries
 * must too: they are in lib/dns/route53.ts's loop (ROUTE53_RETRY), which also treats
 * PriorRequestNotComplete as "not yet" and honours the job's abort signal. SDK retries inside
 * that loop would multiply the tries (3 × 8) and send them past the bucket.
 */
export const ROUTE53_SDK_RETRY = { maxAttempts: 1 } as const satisfies Pick<Route53ClientConfig, "maxAttempts">;

/** The tries of lib/dns/route53.ts's loop: 8 in all, full jitter from 250 ms, at most 8 s apart. */
export const ROUTE53_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 250, maxDelayMs: 8_000 };
