// Builds protobuf bodies field by field, by number, the way client-go's generated marshallers
// write them: independent of k8ts' own schema, so a wrong field number there shows up here.
import protobuf from 'protobufjs';

export type WireValue = string | number | boolean | Uint8Array | bigint;
export type WireField = [number: number, value: WireValue];

/** A message: strings and bytes (and nested messages, from msg()) length-delimited, numbers and booleans as varints. */
export function msg(...fields: WireField[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const [n, v] of fields) {
    if (typeof v === 'string') w.uint32((n << 3) | 2).string(v);
    else if (v instanceof Uint8Array) w.uint32((n << 3) | 2).bytes(v);
    else if (typeof v === 'boolean') w.uint32(n << 3).bool(v);
    else if (typeof v === 'bigint') w.uint32(n << 3).int64(v.toString());
    else w.uint32(n << 3).int64(v);
  }
  return w.finish();
}

/** A map entry as protobuf writes map<K, V>: a message {1: key, 2: value}. */
export function entry(field: number, key: string, value: WireValue): WireField {
  return [field, msg([1, key], [2, value])];
}

/** The body client-go sends: `k8s\0` and a runtime.Unknown {typeMeta {apiVersion, kind}, raw}. */
export function body(apiVersion: string, kind: string, raw: Uint8Array, extra: WireField[] = []): Buffer {
  const typeMeta: WireField[] = [];
  if (apiVersion) typeMeta.push([1, apiVersion]);
  if (kind) typeMeta.push([2, kind]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), msg([1, msg(...typeMeta)], [2, raw], ...extra)]);
}

/**
 * ObjectMeta as Go writes it: every non-pointer field on the wire even when empty
 * (creationTimestamp as an empty Time), labels as map entries.
 */
export function objectMeta(name: string, opts: { namespace?: string; labels?: Record<string, string>; more?: WireField[] } = {}): Uint8Array {
  return msg(
    [1, name], [2, ''], [3, opts.namespace ?? ''], [4, ''], [5, ''], [6, ''], [7, 0], [8, msg()],
    ...Object.entries(opts.labels ?? {}).map(([k, v]) => entry(11, k, v)),
    ...(opts.more ?? []),
  );
}
