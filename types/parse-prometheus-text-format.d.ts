// The parser ships no types; what Corral (ingress activity) and the tests read of its output.
declare module "parse-prometheus-text-format" {
  interface Metric {
    labels?: Record<string, string>;
    value?: string;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  interface Family {
    name: string;
    help: string;
    type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
    metrics: Metric[];
  }
  export default function parse(text: string): Family[];
}
