import { TemplateAdmin } from "@/components/templates/template-admin";
import { TemplateCatalogue } from "@/components/templates/template-catalogue";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Templates · Corral" };

// Every role browses the templates; admins also edit them here.
export default async function TemplatesPage() {
  const user = await getCurrentUser();
  if (user && can(user.role, "templates:manage")) return <TemplateAdmin />;
  return (
    <section>
      <h1>Templates</h1>
      <p className="muted">What an environment made from each template gets. Only admins change templates.</p>
      <TemplateCatalogue />
    </section>
  );
}
