import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { changeEnvironment } from "./change-environment";
import { formatImage, parseImage } from "./image-ref";
import { pinImage } from "./pin-image";

/** Pins one component to another image; the previous one is kept for a rollback. */
export async function changeVersion(actor: Actor, id: string, componentName: string, image: string) {
  const parsed = parseImage(image);
  if (!parsed.ok) throw new AppError("invalid_input", "Some fields are not valid.", { image: [parsed.message] });
  return changeEnvironment(actor, id, "update", async (tx, env) => {
    const component = env.components.find((c) => c.name === componentName);
    if (!component) throw new AppError("not_found", `The environment has no component “${componentName}”.`);
    const next = formatImage(parsed.image);
    const current = formatImage(component);
    if (next === current) return null;
    await tx.component.update({
      where: { id: component.id },
      data: pinImage(component, parsed.image),
    });
    return { message: `${componentName}: ${current} → ${next}` };
  });
}
