import Anser from "anser";
import { memo, type CSSProperties } from "react";

// Colours as the container wrote them, as React elements (never as HTML), with search
// matches highlighted over them. Ranges are positions in the text without escape codes.

interface Props {
  text: string;
  ranges: [number, number][];
}

export const AnsiText = memo(function AnsiText({ text, ranges }: Props) {
  const parts = Anser.ansiToJson(text, { json: true, remove_empty: true });
  const out: React.ReactNode[] = [];
  let offset = 0;
  parts.forEach((part, i) => {
    const style: CSSProperties = {
      ...(part.fg ? { color: `rgb(${part.fg})` } : {}),
      ...(part.bg ? { backgroundColor: `rgb(${part.bg})` } : {}),
      ...(part.decorations.includes("bold") ? { fontWeight: 600 } : {}),
    };
    const start = offset;
    const end = offset + part.content.length;
    offset = end;
    const cuts = ranges.filter(([a, b]) => b > start && a < end);
    if (cuts.length === 0) {
      out.push(
        <span key={i} style={style}>
          {part.content}
        </span>,
      );
      return;
    }
    let at = start;
    cuts.forEach(([a, b], j) => {
      const from = Math.max(a, start);
      const to = Math.min(b, end);
      if (from > at) out.push(<span key={`${i}-${j}-a`} style={style}>{part.content.slice(at - start, from - start)}</span>);
      out.push(
        <mark key={`${i}-${j}-m`} style={style}>
          {part.content.slice(from - start, to - start)}
        </mark>,
      );
      at = to;
    });
    if (at < end) out.push(<span key={`${i}-z`} style={style}>{part.content.slice(at - start)}</span>);
  });
  return <>{out}</>;
});
