// ImageLocality: nodes that already have the pod's images score higher, by image size, damped
// by how few nodes have the image (so one node is not favoured for every pod of a popular image).
import { MAX_NODE_SCORE, type Handle, type Plugin } from '../framework/interface.js';
import { normalizeImage } from '../cache.js';
import type { Node } from '../types.js';

export const NAME = 'ImageLocality';
const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

const sizes = new WeakMap<Node, Map<string, number>>();

function imageSizes(node: Node): Map<string, number> {
  let m = sizes.get(node);
  if (!m) {
    m = new Map();
    for (const img of node.status?.images ?? []) for (const n of img.names ?? []) m.set(normalizeImage(n), img.sizeBytes ?? 0);
    sizes.set(node, m);
  }
  return m;
}

export function newImageLocality(h: Handle): Plugin {
  return {
    name: NAME,
    score(ctx, ni) {
      if (!ni.node?.status?.images?.length) return 0;
      const have = imageSizes(ni.node);
      const total = h.nodeInfos().length || 1;
      let sum = 0;
      const containers = [...(ctx.pod.spec?.initContainers ?? []), ...(ctx.pod.spec?.containers ?? [])];
      for (const c of containers) {
        if (!c.image) continue;
        const name = normalizeImage(c.image);
        const size = have.get(name);
        if (size) sum += size * (h.imageNodes(name) / total);
      }
      const max = MAX_CONTAINER_THRESHOLD * Math.max(1, ctx.pod.spec?.containers?.length ?? 1);
      if (sum < MIN_THRESHOLD) sum = MIN_THRESHOLD;
      else if (sum > max) sum = max;
      return Math.floor((MAX_NODE_SCORE * (sum - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
    },
  };
}
