// The kubectl commands a person may copy for a component: built from names alone, each
// argument quoted only where a shell would need it (names are RFC 1123 labels, so none does).

export interface KubectlCommand {
  what: string;
  command: string;
}

export function kubectlCommands(input: { namespace: string; context: string | null; component: string; port: number | null }): KubectlCommand[] {
  const base = ["kubectl", ...(input.context ? ["--context", input.context] : []), "--namespace", input.namespace];
  const cmd = (...args: string[]) => [...base, ...args].map(quote).join(" ");
  const deploy = `deployment/${input.component}`;
  return [
    { what: "its pods", command: cmd("get", "pods", "--selector", `corral.dev/component=${input.component}`) },
    { what: "follow its logs", command: cmd("logs", deploy, "--follow", "--all-containers") },
    { what: "describe it", command: cmd("describe", deploy) },
    { what: "a shell in it", command: cmd("exec", "-it", deploy, "--", "sh") },
    ...(input.port ? [{ what: "reach it on localhost", command: cmd("port-forward", deploy, `${input.port}:${input.port}`) }] : []),
  ];
}

function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
