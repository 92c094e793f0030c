"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { followEventStream } from "@/lib/api-client/event-stream";
import { stripAnsi } from "@/lib/logs/filter";
import type { Severity } from "@/lib/logs/severity";
import { safeLogText } from "@/lib/logs/terminal-text";

export interface ViewLine {
  seq: number;
  source: string;
  time: string;
  text: string;
  plain: string;
  /** Read from the text when a severity filter first asks (see line-filter.ts); undefined until then. */
  severity?: Severity | null;
}

export interface LogStreamParams {
  environmentId: string;
  component?: string;
  pod?: string;
  container?: string;
  previous?: boolean;
  tailLines: number;
  /** Open from this time (RFC 3339) instead of the last `tailLines` lines: a link to a line. */
  since?: string;
}

export type Connection = "connecting" | "live" | "reconnecting" | "ended";

/** The browser keeps at most this many lines; older ones go, and the viewer says how many. */
export const MAX_LINES = 200_000;

/**
 * Reads the log event stream into a bounded buffer. Lines live in a ref (a re-render per line
 * would be far too slow at tens of thousands a second); `version` ticks once a batch so the
 * viewer re-renders. EventSource resumes by itself with Last-Event-ID after a dropped
 * connection; if it gives up, followEventStream opens a new one from `url()`, which carries
 * the last cursor, so nothing is lost or repeated either way.
 */
export function useLogStream(params: LogStreamParams) {
  const lines = useRef<ViewLine[]>([]);
  const dropped = useRef(0);
  const seq = useRef(0);
  const [version, setVersion] = useState(0);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [sources, setSources] = useState<string[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const { environmentId, component, pod, container, previous, tailLines, since } = params;

  useEffect(() => {
    lines.current = [];
    dropped.current = 0;
    let lastId: string | null = null;

    const url = () => {
      const q = new URLSearchParams({ tailLines: String(tailLines) });
      if (component) q.set("component", component);
      if (pod) q.set("pod", pod);
      if (container) q.set("container", container);
      if (previous) q.set("previous", "true");
      if (since) q.set("since", since);
      if (lastId) q.set("cursor", lastId);
      return `/api/v1/environments/${encodeURIComponent(environmentId)}/logs?${q}`;
    };

    const stop = followEventStream({
      url,
      on: {
        sources: (e) => setSources((JSON.parse(e.data) as { sources: string[] }).sources),
        problem: (e) => {
          const p = JSON.parse(e.data) as { message: string };
          setProblems((current) => (current.includes(p.message) ? current : [...current, p.message]));
        },
        lines: (e) => {
          lastId = e.lastEventId || lastId;
          const batch = (JSON.parse(e.data) as { lines: [string, string, string][] }).lines;
          const buffer = lines.current;
          for (const [src, time, raw] of batch) {
            // Colours stay; what else a terminal would act on goes, and bidi overrides show.
            const text = safeLogText(raw);
            buffer.push({ seq: seq.current++, source: src, time, text, plain: stripAnsi(text) });
          }
          if (buffer.length > MAX_LINES) {
            const excess = buffer.length - MAX_LINES;
            buffer.splice(0, excess);
            dropped.current += excess;
          }
          setVersion((v) => v + 1);
        },
      },
      endOn: ["end"],
      onOpen: () => {
        // Each (re)opened stream reports its problems afresh.
        setConnection("live");
        setProblems([]);
      },
      onInterrupted: () => setConnection("reconnecting"),
      onEnd: () => setConnection("ended"),
    });
    return stop;
  }, [environmentId, component, pod, container, previous, tailLines, since]);

  const clear = useCallback(() => {
    dropped.current = 0;
    lines.current = [];
    setVersion((v) => v + 1);
  }, []);

  return { lines, dropped, version, connection, sources, problems, clear };
}
