// The test file's JSON Schema (schemas/apflow-test.schema.json), compiled once, with its errors mapped
// back to the YAML nodes by the same code that maps the tree format's.
import Ajv, { type ValidateFunction } from 'ajv';
import type { Node } from 'yaml';
import testSchema from '../../schemas/apflow-test.schema.json';
import { schemaProblems } from '../schema-check';
import type { DiagnosticCode, Span } from '../types';

/** The schema ships with the project and its own test validates it: no meta-schema check at start. */
let validate: ValidateFunction | undefined;

export function testFileSchemaDiagnostics(value: unknown, root: Node | null, fallback: Span): { code: DiagnosticCode; message: string; span: Span }[] {
  validate ??= new Ajv({
    allErrors: true,
    strict: false,
    verbose: true,
    validateSchema: false,
  }).compile(testSchema);
  if (validate(value)) return [];
  if (!root)
    return [
      {
        code: 'schema',
        message: 'a test file is a mapping with `tree` and `cases`',
        span: fallback,
      },
    ];
  return schemaProblems(validate.errors, root, fallback).map((p) => {
    const hint = p.suggestions?.length ? `; did you mean ${p.suggestions.map((s) => `\`${s}\``).join(' or ')}?` : '';
    return {
      code: p.kind === 'unknown-key' ? 'unknown-key' : 'schema',
      message: p.message + hint,
      span: p.span,
    };
  });
}
