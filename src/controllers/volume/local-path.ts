// The local-path dynamic provisioner, as k3s ships it (provisioner rancher.io/local-path): a
// default StorageClass "local-path" binding WaitForFirstConsumer, and for each claim of a
// local-path class that the scheduler has placed (volume.kubernetes.io/selected-node), a
// hostPath volume under <localPathRoot>/<pv-name> on that node, pinned there by nodeAffinity and
// pre-bound to the claim. The binder completes the binding; the kubelet creates the directory
// (hostPath type DirectoryOrCreate).
import { posix } from 'node:path';
import {
  isAlreadyExists, isNotFound, keyOf, resources, runWorkers, sleep, splitKey, WorkQueue,
  type EventRecorder, type Informer, type RestClient,
} from '../../client/index.js';
import { log, logError } from '../../machinery/log.js';
import {
  ANN_DEFAULT_CLASS, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, type PersistentVolume, type PersistentVolumeClaim, type StorageClass,
} from './types.js';
import { claimClass } from './matching.js';
import { readyToRun } from '../util/ready-to-run.js';

export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const LOCAL_PATH_CLASS = 'local-path';
export const ANN_LOCAL_PATH_NODE = 'local.path.provisioner/selected-node';
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export interface LocalPathProvisionerOptions {
  client: RestClient;
  recorder: EventRecorder;
  claims: Informer<PersistentVolumeClaim>;
  volumes: Informer<PersistentVolume>;
  classes: Informer<StorageClass>;
  nodes: Informer<any>;
  /** Base directory of the volumes on the nodes. */
  root: string;
}

/** The StorageClass k8ts creates at start when it is missing. */
export function localPathStorageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_CLASS, annotations: { [ANN_DEFAULT_CLASS]: 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

/** The name of the volume provisioned for a claim: stable, so a retry never makes a second one. */
export const volumeNameFor = (claim: PersistentVolumeClaim): string => `pvc-${claim.metadata.uid}`;

/** The volume provisioned for `claim` on node `node` (whose kubernetes.io/hostname label is `hostname`). */
export function localPathVolume(claim: PersistentVolumeClaim, cls: StorageClass, node: string, hostname: string | undefined, root: string): PersistentVolume {
  const name = volumeNameFor(claim);
  const term = hostname
    ? { matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [hostname] }] }
    : { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [ANN_PROVISIONED_BY]: cls.provisioner, [ANN_LOCAL_PATH_NODE]: node } },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
      storageClassName: cls.metadata.name,
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      hostPath: { path: posix.join(root, name), type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [term] } },
      claimRef: {
        apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name,
        uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion,
      },
    },
  };
}

export class LocalPathProvisioner {
  readonly queue = new WorkQueue<string>({ name: 'local-path-provisioner' });

  constructor(private readonly opts: LocalPathProvisionerOptions) {
    const onClaim = (c: PersistentVolumeClaim) => {
      if (!c.spec?.volumeName && c.metadata.annotations?.[ANN_SELECTED_NODE]) this.queue.add(keyOf(c));
    };
    opts.claims.addEventHandler({ onAdd: onClaim, onUpdate: (_o, c) => onClaim(c) });
    // A provisioned volume deleted before its claim was bound is made again.
    opts.volumes.addEventHandler({
      onDelete: (pv) => {
        const ref = pv.spec?.claimRef;
        if (pv.metadata.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PATH_PROVISIONER && ref?.namespace && ref.name) this.queue.add(`${ref.namespace}/${ref.name}`);
      },
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    await this.ensureStorageClass(signal);
    if (!(await readyToRun(signal, { queues: [this.queue], informers: [this.opts.claims, this.opts.volumes, this.opts.classes, this.opts.nodes] }))) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key));
  }

  /** Creates the local-path StorageClass when it is missing at start; an edited one is left as it is. */
  async ensureStorageClass(signal: AbortSignal): Promise<void> {
    for (let delay = 500; !signal.aborted; delay = Math.min(delay * 2, 30_000)) {
      try {
        await this.opts.client.create(resources.storageclasses, undefined, localPathStorageClass());
        log('local-path-provisioner', 'created the default StorageClass', { name: LOCAL_PATH_CLASS });
        return;
      } catch (err) {
        if (isAlreadyExists(err)) return;
        logError('local-path-provisioner', 'cannot create the local-path StorageClass; retrying', { err: String(err) });
        await sleep(delay, signal);
      }
    }
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const { claims, volumes, classes, nodes, client, recorder, root } = this.opts;
    const claim = claims.lister.get(namespace, name);
    if (!claim || claim.spec?.volumeName || claim.metadata.deletionTimestamp) return;
    const node = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    if (!node) return;
    const cls = classes.lister.get(undefined, claimClass(claim));
    if (!cls || cls.provisioner !== LOCAL_PATH_PROVISIONER) return;
    const pvName = volumeNameFor(claim);
    if (volumes.lister.get(undefined, pvName)) return;
    if ((claim.spec?.accessModes ?? []).some((m) => m !== 'ReadWriteOnce' && m !== 'ReadWriteOncePod')) {
      recorder.eventf(claim, 'Warning', 'ProvisioningFailed', 'failed to provision volume with StorageClass "%s": NodePath only supports ReadWriteOnce and ReadWriteOncePod access modes', cls.metadata.name);
      return;
    }
    const hostname = nodes.lister.get(undefined, node)?.metadata?.labels?.[HOSTNAME_LABEL] as string | undefined;
    recorder.eventf(claim, 'Normal', 'Provisioning', 'External provisioner is provisioning volume for claim "%s/%s"', namespace, name);
    try {
      await client.create(resources.persistentvolumes, undefined, localPathVolume(claim, cls, node, hostname, root));
    } catch (err) {
      if (isAlreadyExists(err)) return;
      if (isNotFound(err)) return;
      recorder.eventf(claim, 'Warning', 'ProvisioningFailed', 'failed to provision volume with StorageClass "%s": %s', cls.metadata.name, (err as Error).message);
      throw err;
    }
    log('local-path-provisioner', 'volume provisioned', { claim: key, volume: pvName, node });
    recorder.eventf(claim, 'Normal', 'ProvisioningSucceeded', 'Successfully provisioned volume %s', pvName);
  }
}
