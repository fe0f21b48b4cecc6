import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Screenshots for a person to look at; git ignores the folder. */
const ARTIFACTS = fileURLToPath(new URL('../../.artifacts/', import.meta.url));

/** Where to write the artifact `name` (e.g. `panel.png`); the folder is made on first use. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return ARTIFACTS + name;
}
