// The JSON Schemas this project ships, by the name their validator goes by, and the ajv options they
// are checked with: what schema-check.ts compiles at run time and what the bundles carry compiled at
// build time instead (scripts/precompile-validators.mjs; ajv's code generation was about 100 ms of a
// cold first analysis). One list, so that both compile the very same schemas with the same options.
import schemaJson from '../schemas/apflow.schema.json';
import { CATALOGUE } from './catalogue';

/** `verbose`: the error mapping reads each error's `parentSchema` (descriptions, known properties). */
export const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true } as const;

/** The format's schema, which holds the definitions below. */
export const FORMAT_SCHEMA = schemaJson;

/** The definitions of the format's schema that are validated on their own. */
export const FORMAT_DEFINITIONS = ['task', 'executor', 'hooks', 'env'] as const;

export function definitionRef(name: string): string {
  return `${schemaJson.$id}#/definitions/${name}`;
}

/** The validator name of a built-in executor's input schema. */
export function builtinValidatorName(executor: string): string {
  return `inputs:${executor}`;
}

/** Every built-in executor's input schema, by validator name. */
export function builtinInputSchemas(): Map<string, object> {
  return new Map(CATALOGUE.map((entry) => [builtinValidatorName(entry.id), entry.inputSchema]));
}
