import { readFileSync } from 'node:fs';

function packageVersion(): string {
  try {
    // src/infra/ and dist/infra/ are both two levels below the package root.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    if (typeof pkg.version === 'string') return pkg.version;
  } catch {
    // A trimmed image without package.json: fall through.
  }
  return process.env.npm_package_version ?? 'unknown';
}

/** The service version from package.json, read once: reported by /health and tenderly_build_info. */
export const SERVICE_VERSION = packageVersion();
