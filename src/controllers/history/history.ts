// Reading and writing an owner's ControllerRevisions (history.realHistory): listing from the
// informer cache, creating with name-collision handling, renumbering, adopting and releasing.
import type { KObject, OwnerReference } from '../../api/resource.js';
import { isAlreadyExists, isNotFound, resources, type Informer, type RestClient } from '../../client/index.js';
import type { Selector } from '../../machinery/labels.js';
import { adoptPatch, releasePatch } from '../util/controller-ref.js';
import { ensureControllerUIDIndex, getControllerOf, ownedAndOrphans } from '../util/owner.js';
import { hashRevisionData } from './hash.js';
import { CONTROLLER_REVISION_HASH_LABEL, revisionName, sameData, type ControllerRevision } from './revision.js';

export class ControllerHistory {
  constructor(private readonly client: RestClient, readonly informer: Informer<ControllerRevision>) {
    ensureControllerUIDIndex(informer.indexer);
  }

  /**
   * history.ListControllerRevisions: the revisions `parent` controls plus the orphans its
   * selector matches, as the cache holds them.
   */
  list(parent: KObject, selector: Selector): ControllerRevision[] {
    return ownedAndOrphans(this.informer.indexer, parent).filter((r) => {
      if (r.metadata.namespace !== parent.metadata.namespace || !selector.matches(r.metadata.labels)) return false;
      const ref = getControllerOf(r);
      return !ref || ref.uid === parent.metadata.uid;
    });
  }

  /**
   * Creates `revision` under the name its data and `collision.count` give. A revision of that
   * name with the same data is returned as is; one with other data is a hash collision, which
   * bumps the count and tries the next name.
   */
  async create(parent: KObject, revision: ControllerRevision, collision: { count: number }): Promise<ControllerRevision> {
    const ns = parent.metadata.namespace!;
    for (;;) {
      const hash = hashRevisionData(revision.data, collision.count);
      const clone: ControllerRevision = structuredClone(revision);
      clone.metadata.name = revisionName(parent.metadata.name ?? '', hash);
      clone.metadata.labels = { ...(clone.metadata.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash };
      try {
        return await this.client.create<ControllerRevision>(resources.controllerrevisions, ns, clone);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      const existing = await this.client.get<ControllerRevision>(resources.controllerrevisions, ns, clone.metadata.name);
      if (sameData(existing.data, clone.data)) return existing;
      collision.count++;
    }
  }

  /** Gives an existing revision a new number (a rollback to an earlier template). */
  async renumber(rev: ControllerRevision, revision: number): Promise<ControllerRevision> {
    if (rev.revision === revision) return rev;
    return this.client.patch<ControllerRevision>(resources.controllerrevisions, rev.metadata.namespace, rev.metadata.name!, { revision }, 'merge');
  }

  /** Deletes the revision; one already gone counts as deleted. */
  async delete(rev: ControllerRevision): Promise<void> {
    try {
      await this.client.delete(resources.controllerrevisions, rev.metadata.namespace, rev.metadata.name!, { preconditions: { uid: rev.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async adopt(rev: ControllerRevision, ref: OwnerReference): Promise<ControllerRevision> {
    return this.client.patch<ControllerRevision>(resources.controllerrevisions, rev.metadata.namespace, rev.metadata.name!, adoptPatch(ref, rev.metadata.uid), 'strategic');
  }

  async release(rev: ControllerRevision, ownerUID: string): Promise<void> {
    await this.client.patch(resources.controllerrevisions, rev.metadata.namespace, rev.metadata.name!, releasePatch(ownerUID, rev.metadata.uid), 'strategic');
  }
}
