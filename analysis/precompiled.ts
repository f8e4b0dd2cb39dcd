// The validators of the shipped schemas compiled at build time, by name (shipped-schemas.ts). This
// module is empty: run from source (the tests), every validator is compiled at run time; each bundle
// replaces it with the generated code (esbuild.mjs, scripts/precompile-validators.mjs).
import type { ValidateFunction } from 'ajv';

export const PRECOMPILED: Readonly<Record<string, ValidateFunction | undefined>> = {};
