// Redis replies (RESP2) parsed as they stream in, each handed on whole. Bulk strings are views
// into the received chunk (no copy); a reply cut by a chunk's end waits, its chunks kept in a
// list, until the bytes it needs have arrived, so a big key's payload is joined once, not once
// per chunk.

/** An error reply (-ERR …, -NOPERM …): the server's words, which never echo a command's arguments. */
export class RespReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplyError";
  }
}

export type RespReply = Buffer | number | string | null | RespReplyError | RespReply[];

const INCOMPLETE = Symbol("incomplete");
const EMPTY = Buffer.alloc(0);

export class RespReader {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Where the reply being parsed would end, at least, once cut short. */
  private needAt = 0;
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  private need = 0;

  constructor(private readonly onReply: (reply: RespReply) => void) {}

  /** Takes the next chunk off the socket; throws on bytes that are not RESP. */
  feed(chunk: Buffer): void {
    if (this.waiting.length > 0) {
      this.waiting.push(chunk);
      this.waitingBytes += chunk.length;
      if (this.waitingBytes < this.need) return;
      chunk = Buffer.concat(this.waiting, this.waitingBytes);
      this.waiting = [];
      this.waitingBytes = 0;
    }
    this.buf = chunk;
    this.pos = 0;
    while (this.pos < chunk.length) {
      const start = this.pos;
      const reply = this.parse();
      if (reply === INCOMPLETE) {
        const rest = chunk.subarray(start);
        this.waiting.push(rest);
        this.waitingBytes = rest.length;
        this.need = this.needAt - start;
        break;
      }
      this.onReply(reply);
    }
    this.buf = EMPTY;
  }

  private parse(): RespReply | typeof INCOMPLETE {
    const b = this.buf;
    if (this.pos >= b.length) return this.short(this.pos + 1);
    const type = b[this.pos++];
    switch (type) {
      case 0x24: {
        // $: bulk string
        const length = this.int();
        if (length === INCOMPLETE) return INCOMPLETE;
        if (length < 0) return null;
        const end = this.pos + length;
        if (end + 2 > b.length) return this.short(end + 2);
        const value = b.subarray(this.pos, end);
        this.pos = end + 2;
        return value;
      }
      case 0x3a: // :integer
        return this.int();
      case 0x2b: {
        // +simple string; +OK is by far the most common
        if (b[this.pos] === 0x4f && b[this.pos + 1] === 0x4b && b[this.pos + 2] === 0x0d) {
          if (this.pos + 4 > b.length) return this.short(this.pos + 4);
          this.pos += 4;
          return "OK";
        }
        return this.line();
      }
      case 0x2d: {
        const message = this.line();
        return message === INCOMPLETE ? INCOMPLETE : new RespReplyError(message);
      }
      case 0x2a: {
        // *array
        const n = this.int();
        if (n === INCOMPLETE) return INCOMPLETE;
        if (n < 0) return null;
        const items: RespReply[] = new Array<RespReply>(n);
        for (let i = 0; i < n; i++) {
          const item = this.parse();
          if (item === INCOMPLETE) return INCOMPLETE;
          items[i] = item;
        }
        return items;
      }
      default:
        throw new Error(`Protocol error: unexpected byte 0x${(type ?? 0).toString(16)} in a Redis reply`);
    }
  }

  /** A decimal number up to CRLF. */
  private int(): number | typeof INCOMPLETE {
    const b = this.buf;
    let i = this.pos;
    let negative = false;
    if (b[i] === 0x2d) {
      negative = true;
      i++;
    }
    let n = 0;
    for (; i < b.length; i++) {
      const c = b[i]!;
      if (c === 0x0d) {
        if (i + 2 > b.length) break;
        this.pos = i + 2;
        return negative ? -n : n;
      }
      n = n * 10 + (c - 0x30);
    }
    return this.short(b.length + 1);
  }

  private line(): string | typeof INCOMPLETE {
    const b = this.buf;
    const end = b.indexOf(0x0d, this.pos);
    if (end < 0 || end + 2 > b.length) return this.short(b.length + 1);
    const s = b.toString("utf8", this.pos, end);
    this.pos = end + 2;
    return s;
  }

  private short(needAt: number): typeof INCOMPLETE {
    this.needAt = needAt;
    return INCOMPLETE;
  }
}
