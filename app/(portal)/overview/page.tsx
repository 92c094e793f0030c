import { LeadOverview } from "@/components/overview/lead-overview";

export const metadata = { title: "Overview · Corral" };

export default function OverviewPage() {
  return <LeadOverview />;
}
