import { cloneElement, isValidElement, type ReactElement, type ReactNode } from "react";

/**
 * A labelled form field with its messages from the server or the form's own check, or a hint.
 * The control inside is described by the message (screen readers read it with the field) and
 * marked invalid while there is one.
 */
export function Field(props: { label: string; id: string; errors?: string[]; hint?: string; children: ReactNode }) {
  const describedBy = props.errors ? `${props.id}-error` : props.hint ? `${props.id}-hint` : undefined;
  const control = isValidElement(props.children)
    ? cloneElement(props.children as ReactElement<Record<string, unknown>>, { "aria-describedby": describedBy, "aria-invalid": props.errors ? true : undefined })
    : props.children;
  return (
    <div className={`field${props.errors ? " invalid" : ""}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {control}
      {props.errors ? (
        <p className="field-error" id={`${props.id}-error`} role="alert">
          {props.errors.join(" ")}
        </p>
      ) : props.hint ? (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}
