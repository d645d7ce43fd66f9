// storage.k8s.io/v1: StorageClasses and the CSI objects.
import type { ResourceDef } from '../../resource.js';
import * as storageclass from './storageclass.js';
import * as csi from './csi.js';

export const definitions = { ...storageclass.definitions, ...csi.definitions };
export const resources: ResourceDef[] = [storageclass.storageClasses, csi.csiDrivers, csi.csiNodes, csi.volumeAttachments, csi.csiStorageCapacities];
