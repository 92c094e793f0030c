import { describe, expect, it } from "vitest";
import { kubectlCommands } from "./kubectl-commands";

describe("kubectl commands for a component", () => {
  it("name the context and namespace, and port-forward only a component with a port", () => {
    const withPort = kubectlCommands({ namespace: "qa-1", context: "corral-sandbox", component: "web", port: 8080 });
    expect(withPort.map((c) => c.command)).toEqual([
      "kubectl --context corral-sandbox --namespace qa-1 get pods --selector corral.dev/component=web",
      "kubectl --context corral-sandbox --namespace qa-1 logs deployment/web --follow --all-containers",
      "kubectl --context corral-sandbox --namespace qa-1 describe deployment/web",
      "kubectl --context corral-sandbox --namespace qa-1 exec -it deployment/web -- sh",
      "kubectl --context corral-sandbox --namespace qa-1 port-forward deployment/web 8080:8080",
    ]);
    expect(kubectlCommands({ namespace: "qa-1", context: null, component: "worker", port: null }).map((c) => c.what)).not.toContain("reach it on localhost");
  });

  it("quote a context a shell would split", () => {
    const [first] = kubectlCommands({ namespace: "qa-1", context: "arn:aws:eks:eu-west-1:1:cluster/my cluster's", component: "web", port: null });
    expect(first!.command).toBe(`kubectl --context 'arn:aws:eks:eu-west-1:1:cluster/my cluster'\\''s' --namespace qa-1 get pods --selector corral.dev/component=web`);
  });
});

