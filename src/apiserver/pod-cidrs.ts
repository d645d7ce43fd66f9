// Node pod ranges: each node gets its own /24 of --cluster-cidr, reserved in the store (create if
// absent) so every API server of a cluster hands out distinct ranges, and a node that joins again
// gets its old range back.
import { KeyExistsError, type Store } from '../store/types.js';
import { ipToString, parseCidr } from './admission/service-allocation.js';

const PREFIX = '/registry/core/allocations/podcidrs/';
const NODE_PREFIX = '/registry/core/allocations/podcidr-of/';

export async function reservePodCIDR(store: Store, clusterCIDR: string, nodeName: string): Promise<string> {
  const mine = (await store.get(NODE_PREFIX + nodeName)).kv;
  if (mine) return mine.value;
  const range = parseCidr(clusterCIDR);
  const blocks = Math.floor(range.size / 256);
  for (let i = 0; i < blocks; i++) {
    const cidr = `${ipToString(range.base + i * 256)}/24`;
    try {
      await store.create(PREFIX + i, nodeName);
    } catch (err) {
      if (err instanceof KeyExistsError) continue;
      throw err;
    }
    try {
      await store.create(NODE_PREFIX + nodeName, cidr);
      return cidr;
    } catch (err) {
      // Another server reserved a range for this node at the same moment: use that one.
      await store.delete(PREFIX + i).catch(() => undefined);
      if (err instanceof KeyExistsError) return (await store.get(NODE_PREFIX + nodeName)).kv!.value;
      throw err;
    }
  }
  throw new Error(`no free /24 left in --cluster-cidr ${clusterCIDR}`);
}
