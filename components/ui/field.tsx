import type { ReactNode } from "react";

/** A labelled form field with its messages from the server or the form's own check, or a hint. */
export function Field(props: { label: string; id: string; errors?: string[]; hint?: string; children: ReactNode }) {
  return (
    <div className={`field${props.errors ? " invalid" : ""}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.errors ? (
        <p className="field-error" id={`${props.id}-error`} role="alert">
          {props.errors.join(" ")}
        </p>
      ) : props.hint ? (
        <p className="hint">{props.hint}</p>
      ) : null}
    </div>
  );
}
