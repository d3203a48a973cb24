import { existsSync } from 'node:fs';
import {
  OpenAPIBackend,
  type Operation,
  type Options,
  type ValidationResult,
} from 'openapi-backend';

type AjvOptions = NonNullable<Options['ajvOpts']>;
type ErrorObject = NonNullable<ValidationResult['errors']>[number];

/** A request that broke the official spec (or that no spec operation matches). */
export interface Violation {
  method: string;
  path: string;
  errors: string[];
}

/** What the contract needs to know about one incoming request. */
export interface ContractRequest {
  method: string;
  /** Path relative to the API root, without the query string. */
  path: string;
  /** Raw query string, with or without the leading '?'. */
  search: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed body (JSON object, or form fields with repeated keys as arrays). */
  body: unknown;
  /** Media type of the body without parameters, '' when there is no body. */
  contentType: string;
}

export interface ContractMatch {
  operationId: string;
  operation: Operation;
  params: Record<string, string>;
}

export type ContractResult =
  | { kind: 'matched'; match: ContractMatch; errors: string[] }
  | { kind: 'not-found'; errors: string[] }
  | { kind: 'method-not-allowed'; allowed: string[]; errors: string[] };

interface SpecSource {
  file: string;
  ajvOpts: AjvOptions;
  /**
   * Per operationId, JSON body fields the published spec lists as required
   * that the API does not need (a defect of the spec); they are made optional
   * in the loaded copy. Loading fails when one is no longer listed, so a fixed
   * spec shows the work-around is stale.
   */
  bodyNotRequired?: Record<string, readonly string[]>;
}

interface Route {
  api: OpenAPIBackend;
  operation: Operation;
  pattern: RegExp;
  names: string[];
  /** Literal characters in the template: more means more specific. */
  literal: number;
}

function stripTrailingSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.replace(/\/+$/, '') || '/' : p;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileTemplate(template: string): { pattern: RegExp; names: string[]; literal: number } {
  const names: string[] = [];
  const parts = stripTrailingSlash(template).split(/(\{[^}]+\})/);
  let literal = 0;
  const source = parts
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name) {
        names.push(name);
        return '([^/]+)';
      }
      literal += part.length;
      return escapeRegExp(part);
    })
    .join('');
  return { pattern: new RegExp(`^${source}$`), names, literal };
}

function where(instancePath: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (parts[0] === 'requestBody') parts[0] = 'body';
  return parts.join('.') || 'request';
}

/** Turns ajv's error objects into lines a person can read in a test failure. */
export function describeAjvError(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  let line = `${where(e.instancePath)} ${e.message ?? e.keyword}`;
  if (e.keyword === 'additionalProperties') line += `: '${String(p.additionalProperty)}'`;
  if (e.keyword === 'enum') line += `: ${JSON.stringify(p.allowedValues)}`;
  return line;
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

/**
 * HighLevel's spec types a few parameters as "any", which is not JSON Schema
 * and makes ajv refuse the whole operation. "any" means no constraint, so the
 * type is dropped (in the loaded copy; the file stays as published).
 */
function loosenInvalidTypes(operation: Operation): void {
  for (const p of operation.parameters ?? []) {
    const schema = 'schema' in p ? (p.schema as { type?: unknown } | undefined) : undefined;
    if (schema && typeof schema.type === 'string' && !JSON_TYPES.has(schema.type))
      delete schema.type;
  }
}

/** Makes the named body fields optional in the loaded copy of one operation's JSON body schema. */
function relaxBodyRequired(operation: Operation, names: readonly string[], file: string): void {
  const content = (
    operation.requestBody as { content?: Record<string, { schema?: { required?: string[] } }> }
  )?.content?.['application/json'];
  const schema = content?.schema;
  const required = schema?.required ?? [];
  const stale = names.filter((n) => !required.includes(n));
  if (!content || !schema || stale.length > 0) {
    throw new Error(
      `${file}: ${operation.operationId} no longer requires ${stale.join(', ') || 'a JSON body'}; drop the work-around (bodyNotRequired)`,
    );
  }
  // A copy, so a schema the spec shares between operations stays as published elsewhere.
  content.schema = { ...schema, required: required.filter((n) => !names.includes(n)) };
}

/**
 * The official spec(s) of one provider, loaded through openapi-backend: finds
 * the operation a request means and lists every way it breaks the spec.
 */
export class Contract {
  private constructor(
    private readonly routes: Route[],
    /** Milliseconds openapi-backend took to initialise these specs. */
    readonly initMs: number,
  ) {}

  private static cache = new Map<string, Promise<Contract>>();

  /** Loads (once per process) and initialises the given spec files. */
  static load(sources: SpecSource[]): Promise<Contract> {
    const key = sources.map((s) => `${s.file}${JSON.stringify(s.bodyNotRequired ?? {})}`).join('|');
    let loaded = Contract.cache.get(key);
    if (!loaded) {
      loaded = Contract.init(sources);
      Contract.cache.set(key, loaded);
      loaded.catch(() => Contract.cache.delete(key));
    }
    return loaded;
  }

  private static async init(sources: SpecSource[]): Promise<Contract> {
    const started = performance.now();
    const routes: Route[] = [];
    for (const source of sources) {
      if (!existsSync(source.file)) throw new Error(`API spec not found: ${source.file}`);
      // quick: validators compile per operation on first use; the Twilio spec
      // holds schemas that fail ajv's strict precompile but none we call.
      const api = new OpenAPIBackend({
        definition: source.file,
        quick: true,
        strict: true,
        ajvOpts: { allErrors: true, ...source.ajvOpts },
      });
      await api.init();
      const relax = new Map(Object.entries(source.bodyNotRequired ?? {}));
      for (const operation of api.getOperations()) {
        loosenInvalidTypes(operation);
        const names = relax.get(operation.operationId ?? '');
        if (names) {
          relaxBodyRequired(operation, names, source.file);
          relax.delete(operation.operationId ?? '');
        }
        routes.push({ api, operation, ...compileTemplate(operation.path) });
      }
      if (relax.size > 0) {
        throw new Error(`${source.file}: no operation ${[...relax.keys()].join(', ')}`);
      }
    }
    // Most specific template first, so /conversations/messages/export beats /conversations/messages/{id}.
    routes.sort((a, b) => b.literal - a.literal);
    return new Contract(routes, performance.now() - started);
  }

  /** Checks a response body against the spec's schema for that operation and status. */
  validateResponse(operationId: string, status: number, body: unknown): string[] {
    const route = this.routes.find((r) => r.operation.operationId === operationId);
    if (!route) return [`no operation ${operationId} in the spec`];
    const result = route.api.validator.validateResponse(body, route.operation, status);
    return (result.errors ?? []).map((e) => describeAjvError(e).replace(/^request/, 'response'));
  }

  /** Routes a request to its spec operation and validates it. */
  check(req: ContractRequest): ContractResult {
    const method = req.method.toLowerCase();
    const path = stripTrailingSlash(req.path);
    const candidates = this.routes
      .map((route) => ({ route, m: route.pattern.exec(path) }))
      .filter((c): c is { route: Route; m: RegExpExecArray } => c.m !== null);
    if (candidates.length === 0) {
      return {
        kind: 'not-found',
        errors: [`no operation in the spec matches ${req.method} ${req.path}`],
      };
    }
    const hit = candidates.find((c) => c.route.operation.method === method);
    if (!hit) {
      const allowed = [...new Set(candidates.map((c) => c.route.operation.method.toUpperCase()))];
      return {
        kind: 'method-not-allowed',
        allowed,
        errors: [
          `${req.method} is not an operation of ${req.path} in the spec (allowed: ${allowed.join(', ')})`,
        ],
      };
    }
    const { route, m } = hit;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    const operation = route.operation;
    const operationId = operation.operationId ?? `${method} ${operation.path}`;
    const errors = this.validate(route, req, params);
    return { kind: 'matched', match: { operationId, operation, params }, errors };
  }

  private validate(route: Route, req: ContractRequest, params: Record<string, string>): string[] {
    const { api, operation } = route;
    const errors: string[] = [];
    const search = req.search.replace(/^\?/, '');
    let result: ValidationResult;
    try {
      result = api.validator.validateRequest(
        {
          method: req.method.toLowerCase(),
          path: search ? `${req.path}?${search}` : req.path,
          headers: req.headers,
          body: req.body as never,
        },
        operation,
      );
    } catch (err) {
      // A few operations carry schemas ajv cannot compile; say so instead of crashing the fake.
      return [
        `the spec's schema for ${operation.operationId} does not compile, so this request cannot be checked: ${(err as Error).message}`,
      ];
    }
    const declared = new Set(
      (operation.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'path' ? [p.name] : [])),
    );
    for (const e of result.errors ?? []) {
      // Some operations (HighLevel's GET /conversations/messages/{id}) forget to
      // declare a path parameter; that is the spec's fault, not the caller's.
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      if (e.instancePath === '/path' && extra && extra in params && !declared.has(extra)) continue;
      errors.push(describeAjvError(e));
    }
    const body = operation.requestBody as
      | { required?: boolean; content?: Record<string, { schema?: { properties?: object } }> }
      | undefined;
    if (body?.content && req.contentType) {
      const types = Object.keys(body.content);
      if (!types.includes(req.contentType)) {
        errors.push(`body is ${req.contentType}; the spec accepts ${types.join(', ')}`);
      }
    }
    const groups = (operation as { 'x-twilio'?: { conditional?: string[][] } })['x-twilio']
      ?.conditional;
    if (groups && req.body && typeof req.body === 'object') {
      const given = new Set(Object.keys(req.body).map(snakeCase));
      const props = Object.keys(Object.values(body?.content ?? {})[0]?.schema?.properties ?? {});
      for (const group of groups) {
        if (!group.some((name) => given.has(name))) {
          const names = group.map((g) => props.find((p) => snakeCase(p) === g) ?? g);
          errors.push(`body must include one of ${names.join(', ')} (x-twilio.conditional)`);
        }
      }
    }
    return errors;
  }
}
