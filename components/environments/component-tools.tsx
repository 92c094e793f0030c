"use client";
import { useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import type { EnvironmentDetail } from "@/lib/environments/get-environment-or-throw";
import { kubectlCommands } from "@/lib/environments/kubectl-commands";
import { CopyButton } from "@/components/ui/copy-button";
import { useComponentEnv } from "./use-environments";

type Component = EnvironmentDetail["components"][number];

/** For those who may change the environment: a component's environment variables and kubectl commands for it. */
export function ComponentTools({ environment: env, component: c }: { environment: EnvironmentDetail; component: Component }) {
  const [showEnv, setShowEnv] = useState(false);
  const vars = useComponentEnv(env.id, c.name, showEnv);
  const commands = kubectlCommands({ namespace: env.name, context: env.cluster?.kubeContext ?? null, component: c.name, port: c.port });

  return (
    <tr className="component-tools" data-testid={`tools-${c.name}`}>
      <td colSpan={5}>
        <details onToggle={(e) => setShowEnv((e.target as HTMLDetailsElement).open)}>
          <summary>Environment variables of {c.name}</summary>
          {vars.isError ? <ErrorMessage error={vars.error} /> : null}
          {vars.isPending && showEnv ? <p className="muted">Loading…</p> : null}
          {vars.data ? (
            vars.data.items.length === 0 ? (
              <p className="muted">None (or the cluster has no deployment for it yet).</p>
            ) : (
              <table className="table env-vars">
                <tbody>
                  {vars.data.items.map((v) => (
                    <tr key={v.name}>
                      <td>
                        <code>{v.name}</code>
                      </td>
                      <td>{v.hidden ? <span className="muted">hidden</span> : v.value !== null ? <code>{v.value}</code> : null}</td>
                      <td className="muted">{v.from ? `from ${v.from}` : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          ) : null}
        </details>
        <details>
          <summary>kubectl commands for {c.name}</summary>
          <ul className="commands">
            {commands.map((cmd) => (
              <li key={cmd.what}>
                <span className="muted">{cmd.what}</span>
                <code>{cmd.command}</code>
                <CopyButton text={cmd.command} label={`Copy: ${cmd.what}`} />
              </li>
            ))}
          </ul>
        </details>
      </td>
    </tr>
  );
}
