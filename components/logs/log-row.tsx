"use client";
import type { CSSProperties } from "react";
import { formatLineTime } from "@/lib/logs/line-time";
import { AnsiText } from "./ansi-text";
import type { ViewLine } from "./use-log-stream";

interface Props {
  line: ViewLine;
  index: number;
  style: CSSProperties;
  measure?: (el: HTMLElement | null) => void;
  now: Date;
  timestamps: boolean;
  multiSource: boolean;
  ranges: [number, number][];
  /** The viewer's URL for this line. */
  link: string;
  /** The line a link opened the viewer at. */
  target: boolean;
  onCopyLink: (link: string) => void;
}

/** One line of the log: its link, time (with the date when not today), source and text. */
export function LogRow({ line, index, style, measure, now, timestamps, multiSource, ranges, link, target, onCopyLink }: Props) {
  return (
    <div
      data-index={index}
      ref={measure}
      className={`log-line${target ? " target" : ""}`}
      aria-current={target ? "true" : undefined}
      style={style}
    >
      <a
        className="log-link"
        href={link}
        aria-label="Copy a link to this line"
        title="Copy a link to this line"
        onClick={(e) => {
          // A plain click copies; a middle or modified click opens the link as links do.
          if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
          e.preventDefault();
          onCopyLink(link);
        }}
      >
        #
      </a>
      {timestamps ? (
        <time className="log-time" dateTime={line.time} title={line.time}>
          {formatLineTime(line.time, now)}
        </time>
      ) : null}
      {multiSource ? <span className="log-source">{shortSource(line.source)}</span> : null}
      <span className="log-text">
        <AnsiText text={line.text} ranges={ranges} />
      </span>
    </div>
  );
}

// "web-7d9c-x2k/web" → "x2k/web": enough to tell pods apart in a narrow column.
function shortSource(source: string) {
  const [pod = "", container = ""] = source.split("/");
  return `${pod.split("-").at(-1)}/${container}`;
}
