import { S3Client } from "@aws-sdk/client-s3";
import { S3_RETRY } from "@/lib/aws-retry";
import { DataProblem } from "../data-problem";
import type { S3Location } from "../types";

/**
 * A client for one location. The SDK retries 5xx, throttling, timeouts and dropped connections
 * itself, as lib/aws-retry.ts decides (adaptive mode); `maxAttempts` may shorten it (a
 * connection test answers a person quickly).
 */
export function s3ClientFor(l: S3Location, o: { maxAttempts?: number } = {}): S3Client {
  return new S3Client({
    ...(l.endpoint ? { endpoint: l.endpoint } : {}),
    region: l.region,
    forcePathStyle: l.forcePathStyle ?? Boolean(l.endpoint),
    credentials: { accessKeyId: l.accessKeyId, secretAccessKey: l.secretAccessKey },
    ...S3_RETRY,
    ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}),
    // Checksums only where S3 requires them (DeleteObjects): copies carry no body to sum.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
  });
}

const transientCodes = new Set(["InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "Throttling", "ThrottlingException", "RequestThrottled", "TooManyRequestsException", "TimeoutError", "RequestTimeoutException", "OperationAborted"]);
const transientNetwork = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "ECONNABORTED", "UND_ERR_SOCKET"]);
const refusedCodes = new Set(["AccessDenied", "Forbidden", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AllAccessDisabled", "AccountProblem", "InvalidToken", "ExpiredToken", "InvalidSecurity"]);
const notFoundCodes = new Set(["NoSuchBucket", "NoSuchKey", "NotFound", "NoSuchUpload"]);

/**
 * Classifies an S3 failure. `what` says what was being done, for the message
 * ("copying s3://src/a.txt to s3://dst/a.txt").
 */
export function describeS3Error(error: unknown, what?: string): DataProblem {
  if (error instanceof DataProblem) return error;
  const e = (error ?? {}) as { name?: string; Code?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };
  const code = e.Code ?? e.name ?? "";
  const status = e.$metadata?.httpStatusCode;
  const net = e.code ?? e.cause?.code ?? "";
  const doing = what ? `${what}: ` : "";
  const detail = e.message && e.message !== code ? ` (${e.message})` : "";
  const options = { cause: error };
  if (net === "ENOTFOUND") return new DataProblem("unavailable", `${doing}the S3 endpoint's host name does not resolve (${net})`, options);
  if (transientNetwork.has(net) || /socket hang up|ECONNRESET|ECONNREFUSED|timed? ?out/i.test(e.message ?? "")) {
    return new DataProblem("unavailable", `${doing}S3 could not be reached or dropped the connection${detail}`, options);
  }
  if (code === "InvalidAccessKeyId") return new DataProblem("refused", `${doing}S3 does not know the access key id (InvalidAccessKeyId)`, options);
  if (code === "SignatureDoesNotMatch") return new DataProblem("refused", `${doing}S3 refused the secret access key (SignatureDoesNotMatch)`, options);
  if (refusedCodes.has(code) || status === 403) return new DataProblem("refused", `${doing}access denied (${code || 403})${detail}`, options);
  if (code === "NoSuchBucket") return new DataProblem("not-found", `${doing}the bucket does not exist (NoSuchBucket)`, options);
  if (notFoundCodes.has(code) || status === 404) return new DataProblem("not-found", `${doing}not found (${code || 404})`, options);
  if (transientCodes.has(code) || (status !== undefined && (status >= 500 || status === 429))) {
    return new DataProblem("unavailable", `${doing}S3 is unavailable or throttling (${code || status})${detail}`, options);
  }
  if (code === "PreconditionFailed") return new DataProblem("invalid", `${doing}the source object changed during the copy (its ETag no longer matches the listing)`, options);
  return new DataProblem("invalid", `${doing}${code || "S3 error"}${detail}`, options);
}
