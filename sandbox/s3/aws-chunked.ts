/**
 * Decodes an `aws-chunked` body (SigV4 streaming, with or without chunk signatures and
 * trailing checksums): `<hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0\r\n<trailers>\r\n`.
 */
export function decodeAwsChunked(body: Buffer): { data: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  for (;;) {
    const eol = body.indexOf("\r\n", pos);
    if (eol < 0) throw new Error("aws-chunked: missing chunk header");
    const header = body.subarray(pos, eol).toString("latin1");
    const size = parseInt(header.split(";")[0] ?? "", 16);
    if (!Number.isFinite(size)) throw new Error(`aws-chunked: bad chunk size ${header}`);
    pos = eol + 2;
    if (size === 0) break;
    parts.push(body.subarray(pos, pos + size));
    pos += size + 2;
  }
  for (const line of body.subarray(pos).toString("latin1").split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) trailers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}

export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const sha = String(headers["x-amz-content-sha256"] ?? "");
  const encoding = String(headers["content-encoding"] ?? "");
  return sha.startsWith("STREAMING-") || encoding.split(",").some((e) => e.trim() === "aws-chunked");
}
