// Redis requests (RESP arrays of bulk strings) written straight into one growing Buffer per batch:
// a batch of a thousand commands is one allocation and one socket write, instead of a Command
// object, a Promise and an argument array for each as a general client makes. A large argument
// (a big key's DUMP payload) is not copied: it is sent as a chunk of its own.

const LARGE = 32 * 1024;
const CRLF = 0x0a0d; // "\r\n" little-endian

export class RespWriter {
  private buf: Buffer;
  private at = 0;
  private readonly done: Buffer[] = [];

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Starts a command of `argc` arguments (the command's name counts as one). */
  array(argc: number): this {
    this.reserve(24);
    this.buf[this.at++] = 0x2a; // *
    this.digits(argc);
    return this;
  }

  bulk(arg: Buffer): this {
    if (arg.length >= LARGE) {
      this.reserve(24);
      this.header(arg.length);
      this.flush();
      this.done.push(arg);
      this.reserve(2);
      this.crlf();
      return this;
    }
    this.reserve(arg.length + 24);
    this.header(arg.length);
    arg.copy(this.buf, this.at);
    this.at += arg.length;
    this.crlf();
    return this;
  }

  /** An ASCII argument: a command name, an option or a number. */
  ascii(arg: string): this {
    this.reserve(arg.length + 24);
    this.header(arg.length);
    this.at += this.buf.write(arg, this.at, "latin1");
    this.crlf();
    return this;
  }

  int(n: number): this {
    if (n < 0 || n > 9) return this.ascii(String(n));
    this.reserve(8);
    this.buf[this.at++] = 0x24;
    this.buf[this.at++] = 0x31;
    this.crlf();
    this.buf[this.at++] = 0x30 + n;
    this.crlf();
    return this;
  }

  /** Bytes already in RESP form (a command's head made once by `RespWriter.head`). */
  raw(bytes: Buffer): this {
    this.reserve(bytes.length);
    bytes.copy(this.buf, this.at);
    this.at += bytes.length;
    return this;
  }

  /** The start of a command, `argc` arguments long, whose first arguments are `words`: made once, copied per command. */
  static head(argc: number, ...words: string[]): Buffer {
    return Buffer.concat([Buffer.from(`*${argc}\r\n`), RespWriter.words(...words)]);
  }

  /** ASCII arguments in RESP form, made once and copied per command. */
  static words(...words: string[]): Buffer {
    return Buffer.from(words.map((w) => `$${w.length}\r\n${w}\r\n`).join(""), "latin1");
  }

  command(...args: (string | Buffer | number)[]): this {
    this.array(args.length);
    for (const a of args) {
      if (typeof a === "number") this.int(a);
      else if (typeof a === "string") this.bulk(Buffer.from(a));
      else this.bulk(a);
    }
    return this;
  }

  /** The request as written so far: usually one Buffer, more when large arguments were added. */
  finish(): Buffer[] {
    this.flush();
    return this.done;
  }

  private header(length: number): void {
    this.buf[this.at++] = 0x24; // $
    this.digits(length);
  }

  private digits(n: number): void {
    if (n < 10) this.buf[this.at++] = 0x30 + n;
    else if (n < 100) {
      this.buf[this.at++] = 0x30 + Math.floor(n / 10);
      this.buf[this.at++] = 0x30 + (n % 10);
    } else this.at += this.buf.write(String(n), this.at, "latin1");
    this.crlf();
  }

  private crlf(): void {
    this.buf.writeUInt16LE(CRLF, this.at);
    this.at += 2;
  }

  private reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  private flush(): void {
    if (this.at === 0) return;
    this.done.push(this.buf.subarray(0, this.at));
    this.buf = this.buf.subarray(this.at);
    this.at = 0;
    if (this.buf.length < 1024) this.buf = Buffer.allocUnsafe(64 * 1024);
  }
}
