import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BLIND_DIR, loadBlindSet, loadRegistry, saveRegistry, scoreBlindSet, sha256 } from './blind.ts';

// `npm run eval:freeze -- --set set-N --from FILE --written "…"`: copies a never-seen blind set into
// eval/blind/ byte for byte, scores it with the engine as it is now (the first look), and records the
// checksum, the first-look score and the initial floor. Run it BEFORE changing anything for the set.
const { values } = parseArgs({
  options: { set: { type: 'string' }, from: { type: 'string' }, written: { type: 'string' } },
});
if (!values.set || !values.from || !values.written) {
  console.error(
    'usage: npm run eval:freeze -- --set set-N --from FILE --written "who wrote it, when, blind to what"',
  );
  process.exit(2);
}
const sets = loadRegistry();
const file = `${values.set}.json`;
if (sets.some((s) => s.id === values.set) || existsSync(join(BLIND_DIR, file))) {
  console.error(`${values.set} is already frozen; a blind set is scored once and never replaced`);
  process.exit(1);
}
copyFileSync(values.from, join(BLIND_DIR, file));
const metrics = await scoreBlindSet(loadBlindSet({ file }));
const engine = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
sets.push({
  id: values.set,
  file,
  sha256: sha256(join(BLIND_DIR, file)),
  written: values.written,
  firstLook: { ...metrics, engine, date: new Date().toISOString().slice(0, 10) },
  floor: metrics,
});
saveRegistry(sets);
console.log(`${values.set}: first look recorded`, metrics);
