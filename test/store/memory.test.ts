import { storeContract } from './contract.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';

storeContract('memory', { open: async () => new MemoryStore() });
