import { describe, expect, it } from "vitest";
import { RespReader, type RespReply, RespReplyError } from "./resp-reader";
import { RespWriter } from "./resp-writer";

function readAll(chunks: Buffer[]): RespReply[] {
  const out: RespReply[] = [];
  const reader = new RespReader((r) => out.push(r));
  for (const c of chunks) reader.feed(c);
  return out;
}

/** The same bytes cut at every position, and fed a byte at a time. */
function cuts(bytes: Buffer): Buffer[][] {
  const ways: Buffer[][] = [[bytes], [...bytes].map((b) => Buffer.from([b]))];
  for (let i = 1; i < bytes.length; i++) ways.push([bytes.subarray(0, i), bytes.subarray(i)]);
  return ways;
}

describe("RespWriter", () => {
  it("writes commands as RESP arrays of bulk strings, big arguments as chunks of their own", () => {
    const big = Buffer.alloc(40_000, 0x61);
    const w = new RespWriter(16);
    w.array(2).ascii("PTTL").bulk(Buffer.from([0x00, 0xff]));
    w.array(3).ascii("SET").bulk(Buffer.from("k")).bulk(big);
    w.command("SELECT", 12);
    const chunks = w.finish();
    expect(chunks.length).toBe(3);
    expect(chunks[1]).toBe(big);
    const text = Buffer.concat(chunks).toString("latin1");
    expect(text).toBe(`*2\r\n$4\r\nPTTL\r\n$2\r\n\x00\xff\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$40000\r\n${"a".repeat(40_000)}\r\n*2\r\n$6\r\nSELECT\r\n$2\r\n12\r\n`);
  });

  it("writes numbers and pre-encoded command heads", () => {
    const w = new RespWriter();
    w.raw(RespWriter.head(4, "RESTORE")).bulk(Buffer.from("k")).int(7).raw(RespWriter.words("REPLACE"));
    w.array(3).int(-2).int(1234).int(0);
    expect(Buffer.concat(w.finish()).toString()).toBe("*4\r\n$7\r\nRESTORE\r\n$1\r\nk\r\n$1\r\n7\r\n$7\r\nREPLACE\r\n*3\r\n$2\r\n-2\r\n$4\r\n1234\r\n$1\r\n0\r\n");
  });
});

describe("RespReader", () => {
  it("reads every reply type however the bytes are cut", () => {
    const bytes = Buffer.from("+OK\r\n+QUEUED\r\n-ERR no such key\r\n:42\r\n:-2\r\n$4\r\na\r\nb\r\n$-1\r\n$0\r\n\r\n*2\r\n$1\r\nx\r\n*1\r\n:7\r\n*-1\r\n*0\r\n", "latin1");
    for (const chunks of cuts(bytes)) {
      const replies = readAll(chunks);
      expect(replies.map((r) => (Buffer.isBuffer(r) ? `buf:${r.toString("latin1")}` : r))).toEqual(["OK", "QUEUED", expect.any(RespReplyError), 42, -2, "buf:a\r\nb", null, "buf:", [Buffer.from("x"), [7]], null, []]);
      expect((replies[2] as Error).message).toBe("ERR no such key");
    }
  });

  it("joins a big bulk string once, from many chunks", () => {
    const body = Buffer.alloc(1_000_000, 0x62);
    const bytes = Buffer.concat([Buffer.from(`$${body.length}\r\n`), body, Buffer.from("\r\n:1\r\n")]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 65_536) chunks.push(bytes.subarray(i, i + 65_536));
    const replies = readAll(chunks);
    expect(replies.length).toBe(2);
    expect((replies[0] as Buffer).equals(body)).toBe(true);
    expect(replies[1]).toBe(1);
  });

  it("refuses bytes that are not RESP", () => {
    expect(() => readAll([Buffer.from("HTTP/1.1 400\r\n")])).toThrow(/Protocol error/);
  });
});
