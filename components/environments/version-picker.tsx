"use client";
import { useState } from "react";
import { useImageVersions } from "./use-image-versions";

const OTHER = "\u0000other";

/**
 * A component's version, picked rather than typed: the template's version, the versions other
 * environments run, and the registry's tags, newest first; "Other version…" takes a typed tag.
 */
export function VersionPicker(props: {
  id: string;
  repository: string;
  /** The version the template (or the cloned environment) runs: what "unchanged" means. */
  baseline: string;
  value: string;
  onChange: (version: string) => void;
  invalid?: boolean;
  /** Set by Field: the message that describes the select. */
  "aria-describedby"?: string;
}) {
  const versions = useImageVersions(props.repository);
  const listed = versions.data?.versions ?? [];
  const known = new Set(listed.map((v) => v.tag));
  const [typing, setTyping] = useState(false);
  const showTyped = typing || (props.value !== "" && !known.has(props.value) && props.value !== props.baseline);

  return (
    <div className="version-picker">
      <select
        id={props.id}
        value={showTyped ? OTHER : props.value}
        aria-invalid={props.invalid || undefined}
        aria-describedby={props["aria-describedby"]}
        onChange={(e) => {
          if (e.target.value === OTHER) return setTyping(true);
          setTyping(false);
          props.onChange(e.target.value);
        }}
      >
        {known.has(props.baseline) ? null : <option value={props.baseline}>{props.baseline} · default</option>}
        {listed.map((v) => (
          <option key={v.tag} value={v.tag}>
            {describe(v, props.baseline)}
          </option>
        ))}
        <option value={OTHER}>Other version…</option>
      </select>
      {showTyped ? (
        <input
          aria-label={`Other version of ${props.repository}`}
          value={props.value === props.baseline ? "" : props.value}
          placeholder="a tag, e.g. 1.4.0-rc.2"
          onChange={(e) => props.onChange(e.target.value.trim())}
          autoFocus
        />
      ) : null}
      {versions.isPending ? <span className="hint">Looking up versions…</span> : null}
      {versions.data && versions.data.registry.status !== "ok" ? <span className="hint">{versions.data.registry.message ?? "The registry's tags are not available."}</span> : null}
    </div>
  );
}

function describe(v: { tag: string; sources: string[]; environments: string[] }, baseline: string): string {
  const notes: string[] = [];
  if (v.tag === baseline) notes.push("default");
  if (v.environments.length > 0) notes.push(`in ${v.environments.slice(0, 3).join(", ")}${v.environments.length > 3 ? "…" : ""}`);
  if (v.sources.includes("registry") && notes.length === 0) notes.push("registry");
  return notes.length > 0 ? `${v.tag} · ${notes.join(" · ")}` : v.tag;
}
