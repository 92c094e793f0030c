import type { TemplateFormInput } from "./schemas";

// The quick start's examples: a newcomer creates an environment in under a minute without
// being an admin first. Their images live in the sandbox's registry, whose tags the version
// picker offers.
export const EXAMPLE_REGISTRY = "registry.sandbox.corral.test";

const small = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "256Mi" } };
const medium = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } };

export const EXAMPLE_TEMPLATES: TemplateFormInput[] = [
  {
    name: "shop",
    description: "The web shop: a public storefront, its API and a background worker.",
    defaultTtlHours: 72,
    quota: { "requests.cpu": "2", "requests.memory": "2Gi", pods: "20" },
    // Its own database, cache and object prefix, on the quick start's store hosts.
    dataStores: ["mysql", "redis", "s3"],
    components: [
      { name: "web", repository: `${EXAMPLE_REGISTRY}/shop/web`, defaultTag: "1.2.1", port: 8080, replicas: 1, public: true, resources: small, env: { API_URL: "http://api:8080" } },
      { name: "api", repository: `${EXAMPLE_REGISTRY}/shop/api`, defaultTag: "1.2.1", port: 8080, replicas: 1, resources: medium, env: { LOG_LEVEL: "info" } },
      { name: "worker", repository: `${EXAMPLE_REGISTRY}/shop/worker`, defaultTag: "1.2.1", replicas: 1, resources: small, env: { QUEUE: "orders" } },
    ],
  },
  {
    name: "shop-api",
    description: "The shop's API alone, for contract and API tests.",
    defaultTtlHours: 24,
    quota: { "requests.cpu": "1", "requests.memory": "1Gi", pods: "10" },
    components: [{ name: "api", repository: `${EXAMPLE_REGISTRY}/shop/api`, defaultTag: "1.2.1", port: 8080, replicas: 1, resources: medium, env: { LOG_LEVEL: "debug" } }],
  },
  {
    name: "storefront",
    description: "The storefront alone, public, for UI checks.",
    defaultTtlHours: 24,
    quota: {},
    components: [{ name: "web", repository: `${EXAMPLE_REGISTRY}/shop/web`, defaultTag: "1.2.1", port: 8080, replicas: 2, public: true, resources: small, env: {} }],
  },
];
