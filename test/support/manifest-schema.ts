import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { specPath } from './specs';

// Slack's app manifest JSON Schema (draft-07). The top schema picks v1 or v2 by `_metadata.major_version` and
// $refs them by their GitHub URLs; tests run offline, so the local copies are registered under exactly those URLs.
const VERSIONED_SCHEMA_URL = 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/';

let validator: ValidateFunction | undefined;

function readSchema(...parts: string[]): Record<string, unknown> {
  return JSON.parse(readFileSync(specPath('manifest-schema', ...parts), 'utf8')) as Record<string, unknown>;
}

function manifestValidator(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const version of ['1.0.0', '2.0.0']) {
    const file = `manifest.schema.${version}.json`;
    ajv.addSchema(readSchema('schemas', file), `${VERSIONED_SCHEMA_URL}${file}`);
  }
  validator = ajv.compile(readSchema('manifest.schema.json'));
  return validator;
}

/** Problems with an app manifest (parsed from manifest.yml or JSON); empty when Slack's schema accepts it. */
export function validateManifest(manifest: unknown): string[] {
  const validate = manifestValidator();
  if (validate(manifest)) return [];
  const errors = validate.errors ?? [];
  // The top schema's version selector fails in every branch but the right one; its errors say nothing useful.
  const selector = (e: ErrorObject) =>
    e.keyword === 'oneOf' ||
    e.keyword === 'not' ||
    e.instancePath === '/_metadata/major_version' ||
    (e.keyword === 'required' && e.params.missingProperty === '_metadata');
  const relevant = errors.some((e) => !selector(e)) ? errors.filter((e) => !selector(e)) : errors;
  const messages = relevant.map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${String(e.params.additionalProperty)}'` : '';
    return `manifest${e.instancePath}: ${e.message ?? e.keyword}${extra}`;
  });
  return [...new Set(messages)];
}
