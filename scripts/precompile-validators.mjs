// The validators of the schemas this project ships (analysis/shipped-schemas.ts), compiled by ajv at
// build time into one CommonJS module: the bundles carry it in place of analysis/precompiled.ts, so
// that a cold start runs no ajv code generation (issue 9). Same schemas, same options as the run-time
// compilation the tests use; test/unit/analysis/precompiled.test.ts compares both.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Loads analysis/shipped-schemas.ts (TypeScript, with a JSON import) through esbuild. */
async function shippedSchemas(root) {
  const built = await esbuild.build({
    entryPoints: [join(root, 'analysis/shipped-schemas.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', built.outputFiles[0].text)(module, module.exports, createRequire(join(root, 'package.json')));
  return module.exports;
}

/** The source of a CommonJS module that exports `PRECOMPILED`: every shipped validator by name. */
export async function precompiledValidatorsCode(root) {
  const shipped = await shippedSchemas(root);
  const require = createRequire(join(root, 'package.json'));
  const Ajv = require('ajv').default;
  const standaloneCode = require('ajv/dist/standalone').default;
  const ajv = new Ajv({ ...shipped.AJV_OPTIONS, validateSchema: false, code: { source: true } });
  ajv.addSchema(shipped.FORMAT_SCHEMA);
  const refs = {};
  for (const name of shipped.FORMAT_DEFINITIONS) refs[name] = shipped.definitionRef(name);
  for (const [name, schema] of shipped.builtinInputSchemas()) {
    ajv.addSchema(schema, name);
    refs[name] = name;
  }
  // standaloneCode fills `exports`; the module hands them out under the name analysis/precompiled.ts exports.
  const code = standaloneCode(ajv, refs);
  return `const exports_ = {};\n(function (exports) {\n${code}\n})(exports_);\nexports.PRECOMPILED = exports_;\n`;
}
