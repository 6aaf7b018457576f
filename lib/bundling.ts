/**
 * How a handler file becomes a Lambda bundle. One definition, read by the stack (NodejsFunction) and by
 * `npm run bundle:report` (esbuild's API directly), so the sizes the report prints are the sizes that get deployed.
 */
import type { BuildOptions } from 'esbuild';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Lambda's Node.js 22 runtime; the code itself keeps to Node 20 APIs so it also runs locally. */
export const BUNDLE_TARGET = 'node22';

/**
 * Some dependencies are CommonJS and call `require`, `__dirname` or `__filename`, none of which exist in an ES module:
 * this prologue defines them so an ESM bundle can still hold CommonJS code (the pattern Powertools documents).
 */
export const ESM_REQUIRE_SHIM = [
  "import { createRequire as __cr } from 'node:module';",
  "import { fileURLToPath as __fu } from 'node:url';",
  "import { dirname as __dn } from 'node:path';",
  'const require = __cr(import.meta.url);',
  'const __filename = __fu(import.meta.url);',
  'const __dirname = __dn(__filename);',
].join(' ');

/**
 * Prefer a package's ESM build when it has one (smaller after tree shaking), else its CommonJS `main`.
 * The AWS SDK is bundled rather than taken from the runtime so the version tested locally is the version deployed.
 */
export const MAIN_FIELDS = ['module', 'main'];

/** The same settings as esbuild API options, for the size report. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: MAIN_FIELDS,
    banner: { js: ESM_REQUIRE_SHIM },
    metafile: true,
    logLevel: 'warning',
  };
}

/** The NodejsFunction form of the same settings. */
export function nodejsBundling(): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: BUNDLE_TARGET,
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    mainFields: MAIN_FIELDS,
    banner: ESM_REQUIRE_SHIM,
    bundleAwsSDK: true,
    logLevel: LogLevel.WARNING,
    // esbuild from node_modules (a devDependency), so synthesis never needs Docker
    forceDockerBundling: false,
  };
}
