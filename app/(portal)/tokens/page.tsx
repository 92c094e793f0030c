import { TokenManager } from "@/components/tokens/token-manager";

export const metadata = { title: "API tokens · Corral" };

export default function TokensPage() {
  return <TokenManager />;
}
