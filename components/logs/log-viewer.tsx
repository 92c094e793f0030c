"use client";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useEnvironment } from "@/components/environments/use-environments";
import { makeMatcher } from "@/lib/logs/filter";
import { AnsiText } from "./ansi-text";
import { FilteredLines } from "./filtered-lines";
import { MAX_LINES, useLogStream, type ViewLine } from "./use-log-stream";

const ROW_HEIGHT = 20;

export function LogViewer({ environmentId }: { environmentId: string }) {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const env = useEnvironment(environmentId);
  const component = search.get("component") ?? undefined;
  const pod = search.get("pod") ?? undefined;
  const previous = search.get("previous") === "true";
  const tailLines = Number(search.get("tail") ?? 500);
  const stream = useLogStream({ environmentId, component, pod, previous, tailLines: Number.isFinite(tailLines) ? tailLines : 500 });

  const [query, setQuery] = useState("");
  const [regex, setRegex] = useState(false);
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [onlyMatches, setOnlyMatches] = useState(true);
  const [timestamps, setTimestamps] = useState(true);
  const [wrap, setWrap] = useState(false);
  const [pausedAt, setPausedAt] = useState<number | null>(null);
  const [following, setFollowing] = useState(true);
  const filtered = useRef(new FilteredLines());
  // Counts matches when every line is shown, incrementally like the view itself.
  const matching = useRef(new FilteredLines());

  const matcher = useMemo(() => makeMatcher({ query, regex, caseSensitive }), [query, regex, caseSensitive]);
  const activeMatcher = matcher && "test" in matcher ? matcher : null;
  const filterKey = `${onlyMatches && activeMatcher ? `${regex}:${caseSensitive}:${query}` : ""}`;
  const all = stream.lines.current;
  // `version` ticks once a batch; the buffer itself lives in a ref.
  const shown = useMemo(
    () => filtered.current.update(all, onlyMatches ? activeMatcher : null, filterKey, pausedAt ?? Infinity),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [stream.version, all, filterKey, pausedAt],
  );
  const matchCount = useMemo(() => {
    if (!activeMatcher) return null;
    if (onlyMatches) return shown.length;
    return matching.current.update(all, activeMatcher, `${regex}:${caseSensitive}:${query}`, Infinity).length;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stream.version, shown, activeMatcher, onlyMatches]);
  // Where the view stood when this render happened: Pause freezes it there, not at lines that
  // reached the buffer after it was drawn (the buffer is a ref, filled between renders).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const drawnUpTo = useMemo(() => nextSeq(all), [stream.version, all]);
  // Sequence numbers are consecutive, so what came in since the pause is a subtraction.
  const waiting = pausedAt === null ? 0 : Math.min(all.length, Math.max(0, nextSeq(all) - pausedAt));

  const scroller = useRef<HTMLDivElement>(null);
  const lastScrollTop = useRef(0);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 30,
    measureElement: wrap ? (el) => el.getBoundingClientRect().height : undefined,
  });

  useEffect(() => {
    if (following && shown.length > 0) virtualizer.scrollToIndex(shown.length - 1, { align: "end" });
  }, [following, shown.length, virtualizer]);

  const setParam = (changes: Record<string, string | null>) => {
    const q = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) q.delete(k);
      else q.set(k, v);
    }
    router.replace(`${pathname}?${q}`);
  };

  const components = env.data?.components ?? [];
  const pods = components.find((c) => c.name === component)?.observed?.pods ?? components.flatMap((c) => c.observed?.pods ?? []);
  const multiSource = stream.sources.length > 1;
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const rangeQuery = new URLSearchParams({
    ...(component ? { component } : {}),
    ...(pod ? { pod } : {}),
    ...(previous ? { previous: "true" } : {}),
    ...(since ? { since: new Date(since).toISOString() } : {}),
    ...(until ? { until: new Date(until).toISOString() } : {}),
  });

  return (
    <section className="log-viewer">
      <p>
        <Link href={`/environments/${environmentId}`}>← {env.data?.name ?? "Environment"}</Link>
      </p>
      <div className="page-head">
        <h1>Logs{env.data ? ` · ${env.data.name}` : ""}</h1>
        <span className={`connection connection-${stream.connection}`} role="status" data-testid="log-connection">
          {stream.connection === "live" ? (pausedAt === null ? "Live" : "Paused") : stream.connection === "ended" ? "Ended" : stream.connection === "reconnecting" ? "Reconnecting…" : "Connecting…"}
        </span>
      </div>

      <div className="log-toolbar">
        <select aria-label="Component" value={component ?? ""} onChange={(e) => setParam({ component: e.target.value || null, pod: null, previous: null })}>
          <option value="">All components</option>
          {components.map((c) => (
            <option key={c.id} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
        <select aria-label="Pod" value={pod ?? ""} onChange={(e) => setParam({ pod: e.target.value || null, previous: null })}>
          <option value="">All pods</option>
          {pods.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
              {p.restarts > 0 ? ` (${p.restarts} restarts)` : ""}
            </option>
          ))}
        </select>
        {pod ? (
          <label className="toggle">
            <input type="checkbox" checked={previous} onChange={(e) => setParam({ previous: e.target.checked ? "true" : null })} /> Previous container
          </label>
        ) : null}
        <input
          type="search"
          aria-label="Search logs"
          placeholder={regex ? "Regular expression" : "Search"}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          className={matcher && "error" in matcher ? "invalid" : undefined}
        />
        <label className="toggle">
          <input type="checkbox" checked={regex} onChange={(e) => setRegex(e.target.checked)} /> Regex
        </label>
        <label className="toggle">
          <input type="checkbox" checked={caseSensitive} onChange={(e) => setCaseSensitive(e.target.checked)} /> Match case
        </label>
        <label className="toggle">
          <input type="checkbox" checked={onlyMatches} onChange={(e) => setOnlyMatches(e.target.checked)} /> Only matching lines
        </label>
        <span className="match-count" data-testid="line-count">
          {all.length.toLocaleString()} lines
        </span>
        {matchCount !== null ? (
          <span className="match-count" data-testid="match-count">
            {matchCount.toLocaleString()} {matchCount === 1 ? "match" : "matches"}
          </span>
        ) : null}
      </div>
      <div className="log-toolbar">
        <button type="button" className="button" onClick={() => setPausedAt(pausedAt === null ? drawnUpTo : null)}>
          {pausedAt === null ? "Pause" : `Resume${waiting > 0 ? ` (${waiting.toLocaleString()} new)` : ""}`}
        </button>
        <label className="toggle">
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} /> Timestamps
        </label>
        <label className="toggle">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap lines
        </label>
        <button type="button" className="button" onClick={() => downloadView(shown, env.data?.name ?? "logs")}>
          Download view
        </button>
        <span className="range">
          <input type="datetime-local" step="1" aria-label="From" value={since} onChange={(e) => setSince(e.target.value)} />
          <input type="datetime-local" step="1" aria-label="To" value={until} onChange={(e) => setUntil(e.target.value)} />
          <a className="button" href={`/api/v1/environments/${encodeURIComponent(environmentId)}/logs/download?${rangeQuery}`} download>
            Download range
          </a>
        </span>
      </div>

      {matcher && "error" in matcher ? (
        <p className="field-error" role="alert">
          {matcher.error}
        </p>
      ) : null}
      {stream.problems.map((p) => (
        <p key={p} className="alert" role="alert">
          {p}
        </p>
      ))}
      {stream.dropped.current > 0 ? (
        <p className="muted" data-testid="dropped-note">
          Only the newest {MAX_LINES.toLocaleString()} lines are kept: {stream.dropped.current.toLocaleString()} older lines were dropped. Download a range for more.
        </p>
      ) : null}

      <div
        ref={scroller}
        className={`log-lines${wrap ? " wrap" : ""}`}
        data-testid="log-lines"
        onScroll={(e) => {
          // Only a scroll up is the reader leaving the end: lines arriving, and the view's own
          // scrolling to the end, move scrollTop down or not at all, and must not stop following.
          const el = e.currentTarget;
          const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2;
          const up = el.scrollTop < lastScrollTop.current - 1;
          lastScrollTop.current = el.scrollTop;
          if (up && !atEnd && following) setFollowing(false);
          else if (atEnd && !following) setFollowing(true);
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = shown[item.index]!;
            return (
              <div
                key={line.seq}
                data-index={item.index}
                ref={wrap ? virtualizer.measureElement : undefined}
                className="log-line"
                style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)`, ...(wrap ? {} : { height: ROW_HEIGHT }) }}
              >
                {timestamps ? <span className="log-time">{line.time.slice(11, 23)}</span> : null}
                {multiSource ? <span className="log-source">{shortSource(line.source)}</span> : null}
                <span className="log-text">
                  <AnsiText text={line.text} ranges={activeMatcher ? activeMatcher.ranges(line.plain) : []} />
                </span>
              </div>
            );
          })}
        </div>
        {shown.length === 0 ? <p className="muted empty-logs">{stream.connection === "ended" ? "No lines." : "Waiting for lines…"}</p> : null}
      </div>
      {!following ? (
        <button type="button" className="button primary jump" onClick={() => setFollowing(true)}>
          Jump to end ↓
        </button>
      ) : null}
    </section>
  );
}

function nextSeq(all: ViewLine[]) {
  return (all.at(-1)?.seq ?? -1) + 1;
}

// "web-7d9c-x2k/web" → "x2k/web": enough to tell pods apart in a narrow column.
function shortSource(source: string) {
  const [pod = "", container = ""] = source.split("/");
  return `${pod.split("-").at(-1)}/${container}`;
}

function downloadView(lines: ViewLine[], name: string) {
  const text = lines.map((l) => `${l.time} [${l.source}] ${l.plain}`).join("\n") + "\n";
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `${name}-view.log`;
  a.click();
  URL.revokeObjectURL(url);
}
