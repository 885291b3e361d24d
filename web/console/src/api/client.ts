// The one API client of the console. Every call names an RPC of the
// generated service descriptors; its HTTP verb and path come from the
// contract's own google.api.http option, requests are encoded with toJson
// and answers decoded with fromJson (proto field names, enums as names,
// as the gateway speaks), so a change in proto/ breaks the type check here.
import { fromJson, getOption, toJson, type DescMethod, type DescMessage, type JsonObject, type JsonValue, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import { http } from "../gen/google/api/annotations_pb";
import { currentToken, signOut } from "../auth/session";

/** A field the API refused, from google.rpc.BadRequest. */
export type FieldViolation = { field: string; description: string };

/** An error answer of the gateway: {code, status, message, details}. */
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
    readonly violations: FieldViolation[],
  ) {
    super(message);
  }
  /** The rule broken by field (or a nested field of it), if the API named it. */
  forField(field: string): string | undefined {
    return this.violations.find((v) => v.field === field || v.field.startsWith(field + "."))?.description;
  }
}

type Unary<I extends DescMessage, O extends DescMessage> = DescMethod & { methodKind: "unary"; input: I; output: O };

/** The verb, path template and body field of an RPC, read from its http option. */
export function route(method: DescMethod): { verb: string; path: string; body: string } {
  const rule = getOption(method, http);
  const p = rule.pattern;
  switch (p.case) {
    case "get":
    case "post":
    case "patch":
    case "delete":
    case "put":
      return { verb: p.case.toUpperCase(), path: p.value, body: rule.body };
    default:
      throw new Error(`${method.name} has no HTTP route`);
  }
}

/** Flattens a JSON request into query parameters the gateway reads. */
function addQuery(q: URLSearchParams, prefix: string, v: JsonValue): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    for (const x of v) addQuery(q, prefix, x);
  } else if (typeof v === "object") {
    for (const [k, x] of Object.entries(v)) addQuery(q, prefix ? `${prefix}.${k}` : k, x);
  } else {
    q.append(prefix, String(v));
  }
}

/** The URL and body of a call: path fields substituted, the rest in the query or body. */
export function encode(method: DescMethod, json: JsonObject): { verb: string; url: string; body?: string } {
  const r = route(method);
  const rest: JsonObject = { ...json };
  const path = r.path.replace(/\{([a-z_.]+)\}/g, (_, field: string) => {
    const v = rest[field];
    delete rest[field];
    if (v === undefined || v === null || v === "") throw new ApiError(400, "INVALID_ARGUMENT", `${field} is required`, [{ field, description: "is required" }]);
    return encodeURIComponent(String(v));
  });
  let body: string | undefined;
  const q = new URLSearchParams();
  if (r.body === "*") {
    body = JSON.stringify(rest);
  } else if (r.body) {
    body = JSON.stringify(rest[r.body] ?? {});
    delete rest[r.body];
    addQuery(q, "", rest);
  } else {
    addQuery(q, "", rest);
  }
  const qs = q.toString();
  return { verb: r.verb, url: path + (qs ? `?${qs}` : ""), ...(body !== undefined ? { body } : {}) };
}

/** Reads an error answer into an ApiError. */
async function toError(res: Response): Promise<ApiError> {
  let body: { status?: string; message?: string; details?: Array<{ "@type"?: string; fieldViolations?: FieldViolation[]; field_violations?: FieldViolation[] }> } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON: keep the HTTP status
  }
  const violations = (body.details ?? []).flatMap((d) => d.fieldViolations ?? d.field_violations ?? []);
  return new ApiError(res.status, body.status ?? `HTTP ${res.status}`, body.message ?? res.statusText, violations);
}

/** Options of one call. */
export type CallOptions = { idempotencyKey?: string; signal?: AbortSignal };

/** Calls an RPC through the gateway as the signed-in user. */
export async function call<I extends DescMessage, O extends DescMessage>(
  method: Unary<I, O>,
  input: MessageInitShape<I>,
  opts: CallOptions = {},
): Promise<MessageShape<O>> {
  const msg = create(method.input, input);
  const json = toJson(method.input, msg, { useProtoFieldName: true }) as JsonObject;
  // A field mask's JSON form names fields in lowerCamelCase, but the gateway
  // reads a mask in the query as the proto names themselves.
  for (const f of method.input.fields) {
    if (f.fieldKind === "message" && f.message.typeName === "google.protobuf.FieldMask" && json[f.name] !== undefined) {
      json[f.name] = ((msg as Record<string, unknown>)[f.localName] as { paths: string[] }).paths.join(",");
    }
  }
  const { verb, url, body } = encode(method, json);
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = currentToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (opts.idempotencyKey) headers["Idempotency-Key"] = opts.idempotencyKey;
  const res = await fetch(url, { method: verb, headers, ...(body !== undefined ? { body } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401) signOut("Your session has ended. Please sign in again.");
    throw err;
  }
  return fromJson(method.output, (await res.json()) as JsonValue, { ignoreUnknownFields: true }) as MessageShape<O>;
}

/** The URL template of an RPC answering HttpBody (map tiles), with query filters. */
export function tileTemplate<I extends DescMessage>(method: DescMethod & { input: I }, filters: MessageInitShape<I>): string {
  const json = toJson(method.input, create(method.input, filters), { useProtoFieldName: true }) as JsonObject;
  delete json.z;
  delete json.x;
  delete json.y;
  const q = new URLSearchParams();
  addQuery(q, "", json);
  const qs = q.toString();
  return location.origin + route(method).path + (qs ? `?${qs}` : "");
}
