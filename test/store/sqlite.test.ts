import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeContract } from './contract.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-contract-'));

storeContract('sqlite', {
  open: () => SqliteStore.open(join(dir, 'db', 'state.db')),
  teardown: async () => rmSync(dir, { recursive: true, force: true }),
});
