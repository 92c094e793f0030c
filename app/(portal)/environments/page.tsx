import { EnvironmentList } from "@/components/environments/environment-list";

export const metadata = { title: "Environments · Corral" };

export default function EnvironmentsPage() {
  return <EnvironmentList />;
}
