// Renders every kustomization under deploy/kubernetes and checks it, without a cluster:
//   npm run check:kubernetes [-- DIR...]
// Prints one line per problem (schema error, policy finding, render error) and exits 1 if there is any.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderKustomization } from './kustomize.ts';
import { checkPolicies } from './policy.ts';
import { validateObject } from './validate.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const DEPLOY = join(ROOT, 'deploy/kubernetes');
const overlays = join(DEPLOY, 'overlays');
const dirs = process.argv.slice(2).length
  ? process.argv.slice(2).map((d) => resolve(d))
  : [join(DEPLOY, 'base'), ...readdirSync(overlays).map((d) => join(overlays, d))].filter((d) =>
      existsSync(join(d, 'kustomization.yaml')),
    );

let problems = 0;
for (const dir of dirs) {
  const name = relative(ROOT, dir);
  let found: string[];
  let count = 0;
  try {
    const objects = renderKustomization(dir);
    count = objects.length;
    found = [...objects.flatMap(validateObject), ...checkPolicies(objects)];
  } catch (error) {
    found = [(error as Error).message];
  }
  problems += found.length;
  console.log(`${found.length === 0 ? 'PASS' : 'FAIL'} ${name} (${count} objects)`);
  for (const line of found) console.log(`  ${line}`);
}
process.exit(problems === 0 ? 0 : 1);
