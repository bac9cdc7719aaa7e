// Django's built-in classes for a target, as plain data for the Python front end: the
// release of the version table that applies, where the mixin lives, and every built-in
// middleware class. Without a target (no Python file read), the newest table release.
import type { DjangoTarget, UpstreamClasses } from "../model.ts";
import { djangoMiddleware, djangoRelease, MIXIN_PATHS } from "./versions.ts";

export function upstreamClasses(target: DjangoTarget | null): UpstreamClasses {
  const release = djangoRelease(target?.version ?? "99");
  return { release, mixinPaths: MIXIN_PATHS, entries: djangoMiddleware(release) };
}
