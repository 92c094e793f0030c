"use client";
import { elementScroll, useVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useEnvironment } from "@/components/environments/use-environments";
import { restartedTimes } from "@/lib/environments/restarted-times";
import { makeMatcher } from "@/lib/logs/filter";
import { LineFinder, lineLinkQuery, lineTargetOf, linkSince, nthAtTime } from "@/lib/logs/line-link";
import { SEVERITIES, type Severity } from "@/lib/logs/severity";
import { FilteredLines } from "./filtered-lines";
import { lineFilter } from "./line-filter";
import { LogRow } from "./log-row";
import { useFollowEnd } from "./use-follow-end";
import { MAX_LINES, useLogStream, type ViewLine } from "./use-log-stream";

const ROW_HEIGHT = 20;
const SEVERITY_LABELS: Record<Severity, string> = { error: "ERROR", warn: "WARN", info: "INFO" };

export function LogViewer({ environmentId }: { environmentId: string }) {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const env = useEnvironment(environmentId);
  const component = search.get("component") ?? undefined;
  const pod = search.get("pod") ?? undefined;
  const container = search.get("container") ?? undefined;
  const previous = search.get("previous") === "true";
  const tailLines = Number(search.get("tail") ?? 500);
  // A link to a line: open a little before it, find it, show it highlighted, not following.
  const linked = useMemo(() => lineTargetOf(search), [search]);
  const target = linked && "source" in linked ? linked : null;
  const stream = useLogStream({
    environmentId,
    component,
    pod,
    container,
    previous,
    tailLines: Number.isFinite(tailLines) ? tailLines : 500,
    since: target ? linkSince(target) : undefined,
  });

  const [query, setQuery] = useState("");
  const [regex, setRegex] = useState(false);
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [onlyMatches, setOnlyMatches] = useState(true);
  const [severities, setSeverities] = useState<ReadonlySet<Severity>>(new Set());
  const [timestamps, setTimestamps] = useState(true);
  const [wrap, setWrap] = useState(false);
  const [pausedAt, setPausedAt] = useState<number | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const filtered = useRef(new FilteredLines());
  // Counts matches when every line is shown, incrementally like the view itself.
  const matching = useRef(new FilteredLines());

  const matcher = useMemo(() => makeMatcher({ query, regex, caseSensitive }), [query, regex, caseSensitive]);
  const activeMatcher = matcher && "test" in matcher ? matcher : null;
  const searchKey = activeMatcher ? `${regex}:${caseSensitive}:${query}` : "";
  const severityKey = [...severities].sort().join(",");
  const shownFilter = useMemo(() => lineFilter(onlyMatches ? activeMatcher : null, severities), [onlyMatches, activeMatcher, severities]);
  const filterKey = `${onlyMatches ? searchKey : ""}|${severityKey}`;
  const all = stream.lines.current;
  // `version` ticks once a batch; the buffer itself lives in a ref.
  const shown = useMemo(
    () => filtered.current.update(all, shownFilter, filterKey, pausedAt ?? Infinity),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [stream.version, all, filterKey, pausedAt],
  );
  const matchCount = useMemo(() => {
    if (!activeMatcher) return null;
    if (onlyMatches) return shown.length;
    return matching.current.update(all, lineFilter(activeMatcher, severities), `${searchKey}|${severityKey}`, Infinity).length;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stream.version, shown, activeMatcher, onlyMatches, severityKey]);
  // The count beside the lines is of the same batch as the lines drawn: a render the virtualizer
  // asks for between batches must not count lines that reached the buffer but not the view.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const lineCount = useMemo(() => all.length, [stream.version, all]);
  // Where the view stood when this render happened: Pause freezes it there, not at lines that
  // reached the buffer after it was drawn (the buffer is a ref, filled between renders).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const drawnUpTo = useMemo(() => nextSeq(all), [stream.version, all]);
  // Sequence numbers are consecutive, so what came in since the pause is a subtraction.
  const waiting = pausedAt === null ? 0 : Math.min(all.length, Math.max(0, nextSeq(all) - pausedAt));
  const paused = pausedAt !== null;
  const ended = stream.connection === "ended";

  // The linked line, looked for in each batch once.
  const finder = useMemo(() => (target ? new LineFinder(target) : null), [target]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const found = useMemo(() => finder?.scan(all) ?? null, [finder, stream.version, all]);
  const targetSeq = found && "found" in found ? found.found : null;
  // Gone: a later line of its source came without it, the stream ended without it, or it was
  // found and has since been dropped from the front of the buffer.
  const targetGone = target !== null && (found === null ? ended : "gone" in found || found.found < (all[0]?.seq ?? 0));

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizerRef = useRef<Virtualizer<HTMLDivElement, Element> | null>(null);
  const follow = useFollowEnd(scroller, { initiallyFollowing: !target, onFollow: () => virtualizerRef.current?.cancelScroll() });
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 30,
    rangeExtractor: follow.rangeExtractor,
    measureElement: wrap ? (el) => el.getBoundingClientRect().height : undefined,
    // The virtualizer's own scrolls are ours too: their scroll events are not the reader's.
    scrollToFn: (offset, options, instance) => {
      follow.noteOwnWrite(offset + (options.adjustments ?? 0));
      elementScroll(offset, options, instance);
    },
  });
  useLayoutEffect(() => {
    virtualizerRef.current = virtualizer;
  }, [virtualizer]);

  // Opened at a line: scroll it to the middle once it is in the list (before it is painted).
  const scrolledToTarget = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (targetSeq === null || scrolledToTarget.current === targetSeq || follow.following) return;
    const index = indexOfSeq(shown, targetSeq);
    if (index < 0) return;
    scrolledToTarget.current = targetSeq;
    virtualizer.scrollToIndex(index, { align: "center" });
  }, [targetSeq, shown, virtualizer, follow.following]);

  const setParam = (changes: Record<string, string | null>) => {
    const q = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) q.delete(k);
      else q.set(k, v);
    }
    // Another selection is not the linked line's any more.
    for (const k of ["at", "source", "n"]) q.delete(k);
    router.replace(`${pathname}?${q}`);
  };

  const copyLink = async (link: string) => {
    const url = new URL(link, window.location.origin).toString();
    try {
      await navigator.clipboard.writeText(url);
      setCopied("Link to the line copied.");
    } catch {
      setCopied(`Copy this link to the line: ${url}`);
    }
  };

  const components = env.data?.components ?? [];
  const pods = components.find((c) => c.name === component)?.observed?.pods ?? components.flatMap((c) => c.observed?.pods ?? []);
  const multiSource = stream.sources.length > 1;
  const sinceId = useId();
  const untilId = useId();
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const rangeQuery = new URLSearchParams({
    ...(component ? { component } : {}),
    ...(pod ? { pod } : {}),
    ...(previous ? { previous: "true" } : {}),
    ...(since ? { since: new Date(since).toISOString() } : {}),
    ...(until ? { until: new Date(until).toISOString() } : {}),
  });
  const now = new Date();
  const firstSeq = all[0]?.seq ?? 0;

  return (
    <section className="log-viewer">
      <p>
        <Link href={`/environments/${environmentId}`}>← {env.data?.name ?? "Environment"}</Link>
      </p>
      <div className="page-head">
        <h1>Logs{env.data ? ` · ${env.data.name}` : ""}</h1>
        <span className={`connection connection-${paused && stream.connection === "live" ? "paused" : stream.connection}`} role="status" data-testid="log-connection">
          {stream.connection === "live" ? (paused ? "Paused" : "Live") : ended ? "Ended" : stream.connection === "reconnecting" ? "Reconnecting…" : "Connecting…"}
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
              {p.restarts > 0 ? ` (${restartedTimes(p.restarts)})` : ""}
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
        <span className="severity-filter" role="group" aria-label="Severity">
          {SEVERITIES.map((s) => (
            <label key={s} className={`toggle severity-${s}`}>
              <input
                type="checkbox"
                checked={severities.has(s)}
                onChange={(e) => {
                  const next = new Set(severities);
                  if (e.target.checked) next.add(s);
                  else next.delete(s);
                  setSeverities(next);
                }}
              />{" "}
              {SEVERITY_LABELS[s]}
            </label>
          ))}
        </span>
        <span className="match-count" data-testid="line-count">
          {lineCount.toLocaleString()} lines
        </span>
        {matchCount !== null ? (
          <span className="match-count" data-testid="match-count">
            {matchCount.toLocaleString()} {matchCount === 1 ? "match" : "matches"}
          </span>
        ) : null}
      </div>
      <div className="log-toolbar">
        {/* An ended stream has nothing more to pause; a paused one can still show what came. */}
        {paused ? (
          <button type="button" className="button primary" onClick={() => setPausedAt(null)}>
            {`Resume${waiting > 0 ? ` (${waiting.toLocaleString()} new)` : ""}`}
          </button>
        ) : !ended ? (
          <button type="button" className="button" onClick={() => setPausedAt(drawnUpTo)}>
            Pause
          </button>
        ) : null}
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
          <label htmlFor={sinceId}>From</label>
          <input id={sinceId} type="datetime-local" step="1" value={since} onChange={(e) => setSince(e.target.value)} />
          <label htmlFor={untilId}>To</label>
          <input id={untilId} type="datetime-local" step="1" value={until} onChange={(e) => setUntil(e.target.value)} />
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
      {linked && "error" in linked ? (
        <p className="alert" role="alert">
          {linked.error}
        </p>
      ) : null}
      {target && targetGone ? (
        <p className="alert" role="alert" data-testid="target-gone">
          The linked line ({target.time}) is no longer in this log: it was rotated away or dropped. Download a range around that time for it.
        </p>
      ) : null}
      {stream.dropped.current > 0 ? (
        <p className="muted" data-testid="dropped-note">
          Only the newest {MAX_LINES.toLocaleString()} lines are kept: {stream.dropped.current.toLocaleString()} older lines were dropped. Download a range for more.
        </p>
      ) : null}
      <p className="muted copied" role="status" data-testid="copied-note">
        {copied ?? ""}
      </p>

      {paused ? (
        <div className="paused-strip" data-testid="paused-strip">
          <strong>❚❚ Paused</strong> — the view stands still{waiting > 0 ? `; ${waiting.toLocaleString()} new ${waiting === 1 ? "line waits" : "lines wait"}` : ""}.{" "}
          <button type="button" className="link-button" onClick={() => setPausedAt(null)}>
            Resume
          </button>
        </div>
      ) : null}
      <div
        ref={scroller}
        className={`log-lines${wrap ? " wrap" : ""}${paused ? " paused" : ""}`}
        data-testid="log-lines"
        data-state={paused ? "paused" : follow.following ? "following" : "still"}
        role="region"
        aria-label="Log lines"
        tabIndex={0}
        {...follow.scrollerProps}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = shown[item.index]!;
            return (
              <LogRow
                key={line.seq}
                line={line}
                index={item.index}
                measure={wrap ? virtualizer.measureElement : undefined}
                style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)`, ...(wrap ? {} : { height: ROW_HEIGHT }) }}
                now={now}
                timestamps={timestamps}
                multiSource={multiSource}
                ranges={activeMatcher ? activeMatcher.ranges(line.plain) : []}
                link={`${pathname}?${lineLinkQuery(search, { source: line.source, time: line.time, nth: nthAtTime(all, line.seq - firstSeq) })}`}
                target={line.seq === targetSeq}
                onCopyLink={(link) => void copyLink(link)}
              />
            );
          })}
        </div>
        {shown.length === 0 ? <p className="muted empty-logs">{ended ? "No lines." : "Waiting for lines…"}</p> : null}
      </div>
      {!follow.following ? (
        <button type="button" className="button primary jump" onClick={follow.follow}>
          Jump to end ↓
        </button>
      ) : null}
    </section>
  );
}

function nextSeq(all: ViewLine[]) {
  return (all.at(-1)?.seq ?? -1) + 1;
}

/** The index of the line with `seq` in a list ordered by seq, or -1. */
function indexOfSeq(lines: ViewLine[], seq: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = lines[mid]!.seq;
    if (s === seq) return mid;
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
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
