// Volumes: the PersistentVolume binder and the local-path dynamic provisioner.
import { resources } from '../../client/index.js';
import type { Controller } from '../context.js';
import { PersistentVolumeBinder } from './binder.js';
import { LocalPathProvisioner } from './local-path.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from './types.js';

export const persistentVolumeBinderController: Controller = {
  name: 'persistentvolume-binder',
  start(ctx) {
    const c = new PersistentVolumeBinder({
      client: ctx.client,
      recorder: ctx.recorder('persistentvolume-controller'),
      volumes: ctx.informers.forResource<PersistentVolume>(resources.persistentvolumes),
      claims: ctx.informers.forResource<PersistentVolumeClaim>(resources.persistentvolumeclaims),
      classes: ctx.informers.forResource<StorageClass>(resources.storageclasses),
    });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export const localPathProvisionerController: Controller = {
  name: 'local-path-provisioner',
  start(ctx) {
    const c = new LocalPathProvisioner({
      client: ctx.client,
      recorder: ctx.recorder('rancher.io/local-path_k8ts'),
      claims: ctx.informers.forResource<PersistentVolumeClaim>(resources.persistentvolumeclaims),
      volumes: ctx.informers.forResource<PersistentVolume>(resources.persistentvolumes),
      classes: ctx.informers.forResource<StorageClass>(resources.storageclasses),
      nodes: ctx.informers.forResource(resources.nodes),
      root: ctx.options.localPathRoot,
    });
    void c.run(ctx.options.workers, ctx.signal);
  },
};

export { PersistentVolumeBinder, type PersistentVolumeBinderOptions } from './binder.js';
export {
  LocalPathProvisioner, localPathStorageClass, localPathVolume, volumeNameFor, LOCAL_PATH_CLASS, LOCAL_PATH_PROVISIONER, ANN_LOCAL_PATH_NODE,
  type LocalPathProvisionerOptions,
} from './local-path.js';
export { findMatchingVolume, isVolumeBoundToClaim, claimClass, volumeClass } from './matching.js';
export * from './types.js';
