import { CreateEnvironmentForm } from "@/components/environments/create-environment-form";

export const metadata = { title: "New environment · Corral" };

export default function NewEnvironmentPage() {
  return <CreateEnvironmentForm />;
}
