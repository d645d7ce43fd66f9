// Our keys in etcd: an optional prefix (several k8ts clusters sharing one etcd) in front of every
// key, as bytes; taken off again on the way out.
import type { KeyValue } from '../types.js';
import type { KeyValueMsg } from './rpc.js';

export class KeySpace {
  readonly prefixBytes: number;

  constructor(readonly prefix = '') {
    if (prefix.includes('\0')) throw new Error('etcd key prefix contains a NUL byte');
    this.prefixBytes = Buffer.byteLength(prefix);
  }

  encode(key: string): Buffer {
    return Buffer.from(this.prefix + key);
  }

  /** Our key from etcd's: the prefix bytes dropped. */
  decode(key: Buffer): string {
    return key.toString('utf8', this.prefixBytes);
  }

  /** [key, end) covering every key that starts with `prefix`. */
  range(prefix: string): { key: Buffer; end: Buffer } {
    const key = this.encode(prefix);
    return { key, end: rangeEnd(key) };
  }
}

/** The first key after every key that starts with `prefix`, etcd's convention for prefix ranges. */
export function rangeEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i]++;
      return end;
    }
  }
  // Only 0xff bytes (or empty): everything from the key on.
  return Buffer.from([0]);
}

/** etcd's KeyValue as ours: key without the prefix, value as UTF-8 text, absent numbers as 0. */
export function toKeyValue(keys: KeySpace, kv: KeyValueMsg): KeyValue {
  return {
    key: keys.decode(kv.key),
    value: kv.value ? kv.value.toString('utf8') : '',
    createRevision: kv.create_revision ?? 0,
    modRevision: kv.mod_revision ?? 0,
    version: kv.version ?? 0,
    lease: kv.lease ?? 0,
  };
}
