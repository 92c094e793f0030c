import net from "node:net";
import tls from "node:tls";
import type { RedisEndpoint } from "../types";
import { describeEndpoint } from "./connect";
import { describeRedisError } from "./redis-problem";
import { RespReader, type RespReply, RespReplyError } from "./resp-reader";
import { RespWriter } from "./resp-writer";

// A bare Redis connection for a copy's hot path (see copy-redis.ts): batches of commands go out
// as the Buffers a RespWriter made, and their replies come back as one array per batch, a single
// Promise for the lot. Like the gateway's ioredis connections it signs in (AUTH with the ACL user),
// names itself (CLIENT SETNAME), selects the db, never reconnects and queues nothing: once the
// socket is gone every batch waiting and every later one fails at once.

const CONNECT_TIMEOUT_MS = 10_000;

interface Waiting {
  replies: RespReply[];
  expected: number;
  resolve: (replies: RespReply[]) => void;
  reject: (error: Error) => void;
}

export class RespConnection {
  private readonly waiting: Waiting[] = [];
  /** Index into `waiting` of the batch the next reply belongs to (the array is compacted now and then). */
  private head = 0;
  private failure: Error | undefined;
  private readonly reader = new RespReader((reply) => this.take(reply));

  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => {
      try {
        this.reader.feed(chunk);
      } catch (error) {
        this.fail(error as Error);
        socket.destroy();
      }
    });
    socket.on("error", (error) => this.fail(error));
    socket.on("close", () => this.fail(new Error("Connection is closed.")));
  }

  /** Connects, signs in, names the connection and selects the db; rejects with a DataProblem naming the endpoint. */
  static async open(e: RedisEndpoint, name: string, signal?: AbortSignal): Promise<RespConnection> {
    const socket = e.tls ? tls.connect({ host: e.host, port: e.port, servername: e.host }) : net.connect({ host: e.host, port: e.port });
    socket.setNoDelay(true);
    const conn = new RespConnection(socket);
    const giveUp = () => socket.destroy();
    signal?.addEventListener("abort", giveUp, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(Object.assign(new Error("connect ETIMEDOUT"), { code: "ETIMEDOUT" })), CONNECT_TIMEOUT_MS);
        socket.once(e.tls ? "secureConnect" : "connect", () => {
          clearTimeout(timer);
          resolve();
        });
        socket.once("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
        socket.once("close", () => {
          clearTimeout(timer);
          reject(new Error("Connection is closed."));
        });
      });
      const w = new RespWriter(1024);
      let count = 2;
      // The password goes to the server only, never into an error: Redis's AUTH errors do not echo it.
      if (e.password) {
        if (e.username) w.command("AUTH", e.username, e.password);
        else w.command("AUTH", e.password);
        count++;
      }
      w.command("CLIENT", "SETNAME", name).command("SELECT", e.db);
      const replies = await conn.send(w, count);
      for (const reply of replies) if (reply instanceof RespReplyError) throw reply;
      return conn;
    } catch (error) {
      socket.destroy();
      throw describeRedisError(error, describeEndpoint(e));
    } finally {
      signal?.removeEventListener("abort", giveUp);
    }
  }

  /** Sends the writer's commands; resolves with their `count` replies in order (error replies as RespReplyError values). */
  send(request: RespWriter, count: number): Promise<RespReply[]> {
    if (this.failure) return Promise.reject(this.failure);
    const chunks = request.finish();
    return new Promise((resolve, reject) => {
      this.waiting.push({ replies: [], expected: count, resolve, reject });
      if (chunks.length === 1) {
        this.socket.write(chunks[0]!);
      } else {
        this.socket.cork();
        for (const c of chunks) this.socket.write(c);
        this.socket.uncork();
      }
    });
  }

  close(): void {
    this.fail(new Error("Connection is closed."));
    this.socket.destroy();
  }

  private take(reply: RespReply): void {
    const w = this.waiting[this.head];
    if (!w) {
      this.fail(new Error("Protocol error: a Redis reply that no command asked for"));
      this.socket.destroy();
      return;
    }
    w.replies.push(reply);
    if (w.replies.length < w.expected) return;
    this.head++;
    if (this.head >= 64) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    w.resolve(w.replies);
  }

  private fail(error: Error): void {
    // The first cause is kept: an ECONNRESET says more than the "close" that follows it.
    this.failure ??= error;
    const pending = this.waiting.splice(this.head);
    this.waiting.length = 0;
    this.head = 0;
    for (const w of pending) w.reject(this.failure);
  }
}
