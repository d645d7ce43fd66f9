// Picks the backend from --datastore-endpoint, like k3s: SQLite under the data dir by default,
// a real etcd cluster for HA, memory for tests. Backends load lazily, so a server on SQLite never
// pays for the gRPC stack.
import { join } from 'node:path';
import type { Store } from './types.js';

export async function openStore(opts: { dataDir: string; endpoint?: string }): Promise<Store> {
  const ep = opts.endpoint?.trim();
  if (!ep || ep === 'sqlite' || ep.startsWith('sqlite://')) {
    const path = ep?.startsWith('sqlite://') && ep.length > 'sqlite://'.length ? ep.slice('sqlite://'.length) : join(opts.dataDir, 'db', 'state.db');
    const { SqliteStore } = await import('./sqlite/sqlite-store.js');
    return SqliteStore.open(path);
  }
  if (ep.startsWith('etcd://') || ep.startsWith('http://') || ep.startsWith('https://')) {
    const endpoints = ep.replace(/^etcd:\/\//, '').split(',').map((e) => e.trim().replace(/^https?:\/\//, '')).filter(Boolean);
    const { EtcdStore } = await import('./etcd/etcd-store.js');
    return EtcdStore.connect({ endpoints });
  }
  if (ep === 'memory://' || ep === 'memory') {
    const { MemoryStore } = await import('./memory/memory-store.js');
    return new MemoryStore();
  }
  throw new Error(`unsupported --datastore-endpoint "${ep}": use sqlite://[path], etcd://host:port[,host:port...] or memory://`);
}
