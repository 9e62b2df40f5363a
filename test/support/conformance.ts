import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { specPath } from './specs';

// Checks a Web API call, a Block Kit surface, a response or an inbound payload against Slack's published artifacts
// in slack-specs (see its README for what each one covers and lacks). Everything loads on first use and is cached.

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function readSpec(...parts: string[]): Json {
  return JSON.parse(readFileSync(specPath(...parts), 'utf8')) as Json;
}

function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= load();
    return value;
  };
}

// --- Web API methods and argument names -------------------------------------------------------------------------

/**
 * What the frozen 2020 OpenAPI spec lacks, named as in Slack's own request types:
 * node_modules/@slack/web-api/dist/types/request/{files,apps,chat,views}.d.ts
 */
const SUPPLEMENT: Record<string, { params: string[]; required?: string[] }> = {
  'files.getUploadURLExternal': {
    params: ['filename', 'length', 'alt_text', 'snippet_type'],
    required: ['filename', 'length'],
  },
  'files.completeUploadExternal': {
    params: ['files', 'channel_id', 'thread_ts', 'initial_comment', 'blocks'],
    required: ['files'],
  },
  'apps.connections.open': { params: [] },
  'chat.postMessage': { params: ['metadata', 'markdown_text'] },
  'chat.update': { params: ['metadata', 'markdown_text', 'file_ids', 'reply_broadcast'] },
  'chat.postEphemeral': { params: ['markdown_text'] },
  'views.open': { params: ['interactivity_pointer'] },
  'views.push': { params: ['interactivity_pointer'] },
  // IncludeAllMetadata in conversations.d.ts: messages come back with the metadata an app posted them with.
  'conversations.history': { params: ['include_all_metadata'] },
  'conversations.replies': { params: ['include_all_metadata'] },
};

// The token may travel in the body instead of the header, and WebClient adds team_id when built with `teamId`.
const ANY_METHOD = ['token', 'team_id'];

interface MethodSpec {
  params: Set<string>;
  required: Set<string>;
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean }[];
  responses?: Record<string, { schema?: Json }>;
}

const openApi = once(() => readSpec('slack-api-specs', 'web-api', 'slack_web_openapi_v2.json'));

function operation(method: string): OpenApiOperation | undefined {
  const path = (openApi().paths as Record<string, Record<string, OpenApiOperation>>)[`/${method}`];
  return path ? Object.values(path)[0] : undefined;
}

const methodSpecs = once(() => {
  const specs = new Map<string, MethodSpec>();
  for (const path of Object.keys(openApi().paths as Json)) {
    const method = path.slice(1);
    const params = operation(method)?.parameters ?? [];
    specs.set(method, {
      params: new Set([...ANY_METHOD, ...params.map((p) => p.name)]),
      required: new Set(params.filter((p) => p.required && p.name !== 'token').map((p) => p.name)),
    });
  }
  for (const [method, extra] of Object.entries(SUPPLEMENT)) {
    const spec = specs.get(method) ?? { params: new Set(ANY_METHOD), required: new Set<string>() };
    for (const name of extra.params) spec.params.add(name);
    for (const name of extra.required ?? []) spec.required.add(name);
    specs.set(method, spec);
  }
  // One of trigger_id or interactivity_pointer opens a view (views.d.ts); checkCall asks for either.
  for (const method of ['views.open', 'views.push']) specs.get(method)?.required.delete('trigger_id');
  return specs;
});

export function isKnownMethod(method: string): boolean {
  return methodSpecs().has(method);
}

const TEXT_FALLBACK_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);

/** Every way a Web API call breaks Slack's contract, as sentences; empty when the call is fine. */
export function checkCall(method: string, args: Record<string, unknown>): string[] {
  const spec = methodSpecs().get(method);
  if (!spec) return [`unknown method ${method}`];
  const out: string[] = [];
  for (const name of Object.keys(args)) {
    if (!spec.params.has(name)) out.push(`unknown argument '${name}' for ${method}`);
  }
  for (const name of spec.required) {
    if (args[name] === undefined || args[name] === '') out.push(`missing required argument '${name}' for ${method}`);
  }
  if ((method === 'views.open' || method === 'views.push') && !args.trigger_id && !args.interactivity_pointer) {
    out.push(`missing required argument 'trigger_id' for ${method}`);
  }
  if (TEXT_FALLBACK_METHODS.has(method)) out.push(...checkMessage(args, method));
  else if (args.blocks !== undefined) out.push(...checkBlocks(args.blocks));
  if (args.view !== undefined) out.push(...checkView(args.view));
  return out;
}

/** A message sent with chat.* or to a response_url: its blocks, and the plain `text` fallback they need. */
export function checkMessage(message: Record<string, unknown>, sender: string): string[] {
  if (message.blocks === undefined) return [];
  const out = checkBlocks(message.blocks);
  const hasBlocks = Array.isArray(message.blocks) && message.blocks.length > 0;
  const text = message.text;
  if (hasBlocks && !(typeof text === 'string' && text.trim() !== '')) {
    out.push(`${sender} sends blocks without a plain \`text\` fallback (used by notifications and screen readers)`);
  }
  return out;
}

// --- Block Kit ------------------------------------------------------------------------------------------------------

const readBlockKitSchema = once(() => readSpec('block-kit-schema', 'slack-block-kit.schema.json'));

const blockKit = once(() => {
  const schema = readBlockKitSchema();
  // verbose: errors carry the subschema that failed, which explain() needs to drop other types' noise.
  const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true });
  addFormats(ajv);
  ajv.addSchema(schema);
  const id = schema.$id as string;
  const get = (ref: string): ValidateFunction => {
    const validate = ajv.getSchema(`${id}${ref}`);
    if (!validate) throw new Error(`Block Kit schema has no ${ref}`);
    return validate;
  };
  const defs = schema.$defs as Record<string, Json>;
  const blockDefs = new Map<unknown, ValidateFunction>();
  for (const variant of (defs.block?.oneOf ?? []) as { $ref: string }[]) {
    const name = variant.$ref.replace('#/$defs/', '');
    blockDefs.set(typeConstOf(defs[name] ?? {}), get(`#/$defs/${name}`));
  }
  return { blocks: get(''), modal: get('#/$defs/modal_view'), home: get('#/$defs/home_view'), blockDefs };
});

const MESSAGE_MAX_BLOCKS = 50;
const VIEW_MAX_BLOCKS = 100;
const SECTION_TEXT_MAX = 3000;

/** A message's blocks (chat.*, response_url, files.completeUploadExternal). */
export function checkBlocks(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return [`blocks must be an array, got ${typeof blocks}`];
  const validator = blockKit().blocks;
  const out = validator(blocks) ? [] : explainSurface(validator.errors ?? [], blocks, blocks, 'blocks', '');
  if (blocks.length > MESSAGE_MAX_BLOCKS) {
    out.push(`message has ${blocks.length} blocks; Slack allows at most ${MESSAGE_MAX_BLOCKS}`);
  }
  return [...out, ...surfaceRules(blocks, 'blocks')];
}

/** A modal (views.open/update/push) or Home tab (views.publish). */
export function checkView(view: unknown): string[] {
  if (!isRecord(view)) return [`view must be an object, got ${typeof view}`];
  const validator = view.type === 'modal' ? blockKit().modal : view.type === 'home' ? blockKit().home : undefined;
  if (!validator) return [`view type must be 'modal' or 'home', got ${JSON.stringify(view.type)}`];
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  const out = validator(view) ? [] : explainSurface(validator.errors ?? [], view, blocks, 'view', '/blocks');
  if (blocks.length > VIEW_MAX_BLOCKS) {
    out.push(`view has ${blocks.length} blocks; Slack allows at most ${VIEW_MAX_BLOCKS}`);
  }
  // A Home tab lists many items with the same buttons: there Slack's own rule (unique within a block) applies.
  return [...out, ...surfaceRules(blocks, 'view/blocks', view.type === 'home' ? 'block' : 'surface')];
}

/**
 * Block Kit's schema tries every block type in a oneOf, so one bad block yields errors from every type it is not.
 * Errors outside the blocks are kept; each block is then checked alone against the definition of its own type.
 */
function explainSurface(errors: ErrorObject[], surface: unknown, blocks: unknown[], where: string, blocksAt: string) {
  const outside = errors.filter((e) => !e.instancePath.startsWith(`${blocksAt}/`));
  const out = explain(outside, surface, where, false);
  blocks.forEach((block, index) => {
    const at = `${where}${blocksAt}/${index}`;
    const type = isRecord(block) ? block.type : undefined;
    const validator = blockKit().blockDefs.get(type);
    if (!validator) out.push(`${at}: unknown block type ${JSON.stringify(type)}`);
    else if (!validator(block)) out.push(...explain(validator.errors ?? [], block, at));
  });
  if (out.length === 0 && errors[0]) out.push(`${where}${errors[0].instancePath}: ${describeError(errors[0])}`);
  return out;
}

/**
 * What the schema cannot express: ids unique across the whole surface, and Slack's section text limit.
 * Action ids are held to the stricter whole-surface rule unless `actionIdScope` is `block` (Slack's rule).
 */
function surfaceRules(blocks: unknown[], where: string, actionIdScope: 'surface' | 'block' = 'surface'): string[] {
  const out: string[] = [];
  const blockIds = new Map<string, number>();
  let actionIds = new Map<string, number>();
  blocks.forEach((block, index) => {
    if (!isRecord(block)) return;
    if (actionIdScope === 'block') actionIds = new Map();
    if (typeof block.block_id === 'string') {
      const first = blockIds.get(block.block_id);
      if (first === undefined) blockIds.set(block.block_id, index);
      else out.push(`duplicate block_id '${block.block_id}' in ${where}/${first} and ${where}/${index}`);
    }
    for (const actionId of actionIdsIn(block)) {
      const first = actionIds.get(actionId);
      if (first === undefined) actionIds.set(actionId, index);
      else out.push(`duplicate action_id '${actionId}' in ${where}/${first} and ${where}/${index}`);
    }
    const text = block.type === 'section' && isRecord(block.text) ? block.text.text : undefined;
    if (typeof text === 'string' && text.length > SECTION_TEXT_MAX) {
      out.push(
        `section text in ${where}/${index} is ${text.length} characters; Slack allows at most ${SECTION_TEXT_MAX}`,
      );
    }
  });
  return out;
}

function actionIdsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(actionIdsIn);
  if (!isRecord(node)) return [];
  const own = typeof node.action_id === 'string' ? [node.action_id] : [];
  return [...own, ...Object.values(node).flatMap(actionIdsIn)];
}

interface Owner {
  typeConst: unknown;
  /** How many instance levels the subschema sits below the object its `type` const describes. */
  depth: number;
}

/** Every subschema of a Block Kit definition, mapped to the `type` const (`button`, `section`, …) it belongs to. */
const blockKitOwners = once(() => {
  const owners = new WeakMap<object, Owner>();
  const knownTypes = new Set<unknown>();
  const visit = (node: unknown, outerType: unknown, outerDepth: number): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, outerType, outerDepth);
      return;
    }
    if (!isRecord(node)) return;
    const ownType = typeConstOf(node);
    const [typeConst, depth] = ownType === undefined ? [outerType, outerDepth] : [ownType, 0];
    if (ownType !== undefined) knownTypes.add(ownType);
    owners.set(node, { typeConst, depth });
    for (const [key, child] of Object.entries(node)) {
      if (key === 'properties' || key === 'patternProperties') {
        for (const sub of Object.values(child as Json)) visit(sub, typeConst, depth + 1);
      } else if (['items', 'prefixItems', 'contains', 'additionalProperties'].includes(key)) {
        visit(child, typeConst, depth + 1);
      } else if (['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else'].includes(key)) {
        visit(child, typeConst, depth);
      }
    }
  };
  for (const def of Object.values(readBlockKitSchema().$defs as Record<string, Json>)) visit(def, undefined, 0);
  return { owners, knownTypes };
});

function typeConstOf(schema: Json): unknown {
  const properties = schema.properties;
  return isRecord(properties) && isRecord(properties.type) ? properties.type.const : undefined;
}

/**
 * Element unions (e.g. what an actions block may hold) try every element type too. Keep only errors raised by the
 * definition whose `type` matches the object it checked; when none is left, the object's type is the mistake.
 */
function explain(errors: ErrorObject[], data: unknown, where: string, scanTypes = true): string[] {
  const { owners, knownTypes } = blockKitOwners();
  const messages = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') continue;
    const segments = e.instancePath.split('/').slice(1);
    const owner = isRecord(e.parentSchema) ? owners.get(e.parentSchema) : undefined;
    if (owner && owner.typeConst !== undefined) {
      const root = at(data, segments.slice(0, segments.length - owner.depth));
      if (isRecord(root) && root.type !== owner.typeConst) continue;
    }
    messages.add(`${where}${e.instancePath}: ${describeError(e)}`);
  }
  for (const [path, type] of scanTypes ? typedObjects(data, '') : []) {
    if (!knownTypes.has(type)) messages.add(`${where}${path}: unknown type ${JSON.stringify(type)}`);
  }
  if (messages.size > 0 || errors.length === 0) return [...messages];
  const unions = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const deepest = (unions.length > 0 ? unions : errors).reduce((a, b) =>
    b.instancePath.length > a.instancePath.length ? b : a,
  );
  const node = at(data, deepest.instancePath.split('/').slice(1));
  const what =
    isRecord(node) && typeof node.type === 'string' ? `"${node.type}" is not allowed here` : describeError(deepest);
  return [`${where}${deepest.instancePath}: ${what}`];
}

function at(data: unknown, segments: string[]): unknown {
  let node = data;
  for (const segment of segments) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isRecord(node)) node = node[segment.replaceAll('~1', '/').replaceAll('~0', '~')];
    else return undefined;
  }
  return node;
}

function* typedObjects(node: unknown, path: string): Generator<[string, unknown]> {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* typedObjects(item, `${path}/${index}`);
    return;
  }
  if (!isRecord(node)) return;
  if (typeof node.type === 'string') yield [path, node.type];
  for (const [key, child] of Object.entries(node)) yield* typedObjects(child, `${path}/${key}`);
}

function describeError(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `unexpected property '${String(params.additionalProperty)}'`;
  if (e.keyword === 'maxLength' && typeof e.data === 'string') return `${e.message} (has ${e.data.length})`;
  if (e.keyword === 'maxItems' && Array.isArray(e.data)) return `${e.message} (has ${e.data.length})`;
  if (e.keyword === 'enum') return `${e.message}: ${JSON.stringify(params.allowedValues)}`;
  if (e.keyword === 'const') return `must be ${JSON.stringify(params.allowedValue)}`;
  return e.message ?? e.keyword;
}

// --- Responses (OpenAPI) ------------------------------------------------------------------------------------------

const DEFINITIONS_ID = 'https://slack-specs.local/web-api-definitions.json';

const openApiAjv = once(() => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(rewriteRefs({ $id: DEFINITIONS_ID, definitions: openApi().definitions }));
  return ajv;
});

// Swagger 2 response schemas point at `#/definitions/…` of the whole document; Ajv needs them under an $id.
function rewriteRefs(schema: unknown): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', `"${DEFINITIONS_ID}#/definitions/`)) as Json;
}

const responseValidators = new Map<string, ValidateFunction>();

/** A Web API response against the OpenAPI success (ok:true) or error (ok:false) schema of its method. */
export function checkResponse(method: string, body: Json): string[] {
  const status = body.ok === true ? '200' : 'default';
  const key = `${method} ${status}`;
  let validator = responseValidators.get(key);
  if (!validator) {
    const schema = operation(method)?.responses?.[status]?.schema;
    if (!schema) return [`the OpenAPI spec has no ${status} response schema for ${method}`];
    validator = openApiAjv().compile(rewriteRefs(schema));
    responseValidators.set(key, validator);
  }
  if (validator(body)) return [];
  return (validator.errors ?? []).map((e) => `${method}${e.instancePath}: ${describeError(e)}`);
}

// --- Inbound payloads ---------------------------------------------------------------------------------------------

const eventEnvelope = once(() => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(readSpec('slack-api-specs', 'events-api', 'slack_common_event_wrapper_schema.json'));
});

/** An Events API envelope against Slack's event wrapper schema. */
export function checkEventEnvelope(body: unknown): string[] {
  const validator = eventEnvelope();
  if (validator(body)) return [];
  return (validator.errors ?? []).map((e) => `envelope${e.instancePath}: ${describeError(e)}`);
}

/** A java-slack-sdk sample, e.g. `api/chat.postMessage.json` or `app-backend/views/ViewSubmissionPayload.json`. */
export function javaSample(relativePath: string): Json {
  return readSpec('java-slack-sdk-samples', relativePath);
}

/**
 * Paths of keys in `value` that the sample never shows. The samples are the union of every field Slack has sent,
 * so a key missing there is most likely a typo or an invention. Arrays compare each element with the sample's first.
 * `opaque` paths (e.g. `message.blocks`, `view.state`) are not descended: they hold our own Block Kit or keys
 * chosen by us (block ids), which the samples cannot know.
 */
export function keysMissingFromSample(value: unknown, sample: unknown, opaque: string[] = [], path = ''): string[] {
  if (Array.isArray(value)) {
    const model = Array.isArray(sample) ? sample[0] : undefined;
    if (model === undefined) return [];
    return value.flatMap((item) => keysMissingFromSample(item, model, opaque, `${path}[]`));
  }
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = path ? `${path}.${key}` : key;
    if (!isRecord(sample) || !(key in sample)) return [childPath];
    return opaque.includes(childPath) ? [] : keysMissingFromSample(child, sample[key], opaque, childPath);
  });
}
