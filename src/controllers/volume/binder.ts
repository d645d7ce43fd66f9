// The PersistentVolume controller's binder (kube-controller-manager's persistentvolume-binder):
// binds Pending claims to matching volumes, keeps the phases of both right (Available, Bound,
// Released, Lost), reclaims released volumes by their policy (Delete removes the volume object;
// Retain keeps it), hands claims of provisioning classes to their provisioner, and gives claims
// without a class the default StorageClass (retroactive default class assignment).
import {
  isConflict, isInvalid, isNotFound, keyOf, resources, runWorkers, sleep, splitKey, WorkQueue,
  type EventRecorder, type Informer, type RestClient,
} from '../../client/index.js';
import { log, logError } from '../../machinery/log.js';
import { claimClass, findMatchingVolume, isVolumeBoundToClaim } from './matching.js';
import {
  ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, claimKey,
  defaultClass, NO_PROVISIONER, wireTime, type PersistentVolume, type PersistentVolumeClaim, type StorageClass,
} from './types.js';
import { readyToRun } from '../util/ready-to-run.js';

export interface PersistentVolumeBinderOptions {
  client: RestClient;
  recorder: EventRecorder;
  volumes: Informer<PersistentVolume>;
  claims: Informer<PersistentVolumeClaim>;
  classes: Informer<StorageClass>;
  /** Every claim and volume is looked at again this often (--pvclaimbinder-sync-period); 15 s. */
  resyncPeriodMs?: number;
  now?: () => number;
}

export class PersistentVolumeBinder {
  readonly claimQueue = new WorkQueue<string>({ name: 'claims' });
  readonly volumeQueue = new WorkQueue<string>({ name: 'volumes' });
  private readonly client: RestClient;
  private readonly recorder: EventRecorder;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly classes: Informer<StorageClass>;
  private readonly resyncPeriodMs: number;
  private readonly now: () => number;
  /** Claims whose class could not be set (the API server refused it): not tried again. */
  private readonly noDefaultClass = new Set<string>();

  constructor(opts: PersistentVolumeBinderOptions) {
    this.client = opts.client;
    this.recorder = opts.recorder;
    this.volumes = opts.volumes;
    this.claims = opts.claims;
    this.classes = opts.classes;
    this.resyncPeriodMs = opts.resyncPeriodMs ?? 15_000;
    this.now = opts.now ?? Date.now;
    const onVolume = (pv: PersistentVolume) => {
      this.volumeQueue.add(pv.metadata.name!);
      const ref = pv.spec?.claimRef;
      if (ref?.name && ref.namespace) this.claimQueue.add(`${ref.namespace}/${ref.name}`);
    };
    this.volumes.addEventHandler({ onAdd: onVolume, onUpdate: (_o, pv) => onVolume(pv), onDelete: onVolume });
    const onClaim = (c: PersistentVolumeClaim) => {
      this.claimQueue.add(keyOf(c));
      if (c.spec?.volumeName) this.volumeQueue.add(c.spec.volumeName);
    };
    this.claims.addEventHandler({ onAdd: onClaim, onUpdate: (_o, c) => onClaim(c), onDelete: onClaim });
    const onClass = () => {
      for (const c of this.claims.lister.list()) if (!c.spec?.volumeName) this.claimQueue.add(keyOf(c));
    };
    this.classes.addEventHandler({ onAdd: onClass, onUpdate: onClass });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    if (!(await readyToRun(signal, { queues: [this.claimQueue, this.volumeQueue], informers: [this.volumes, this.claims, this.classes] }))) return;
    const resync = (async () => {
      while (!signal.aborted) {
        await sleep(this.resyncPeriodMs, signal);
        for (const pv of this.volumes.lister.list()) this.volumeQueue.add(pv.metadata.name!);
        for (const c of this.claims.lister.list()) this.claimQueue.add(keyOf(c));
      }
    })();
    await Promise.all([
      runWorkers(this.claimQueue, workers, (key) => this.syncClaim(key)),
      runWorkers(this.volumeQueue, workers, (name) => this.syncVolume(name)),
      resync,
    ]);
  }

  // ---- claims ----

  async syncClaim(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const claim = this.claims.lister.get(namespace, name);
    if (!claim) return;
    if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined) await this.syncUnboundClaim(claim);
    else await this.syncBoundClaim(claim);
  }

  private async syncUnboundClaim(claim: PersistentVolumeClaim): Promise<void> {
    if (await this.assignDefaultClass(claim)) return;
    const volumeName = claim.spec?.volumeName;
    if (volumeName) {
      // Pre-bound by the user to a named volume.
      const pv = this.volumes.lister.get(undefined, volumeName);
      if (!pv) {
        this.recorder.eventf(claim, 'Normal', 'FailedBinding', 'volume "%s" not found', volumeName);
        await this.setClaimPhase(claim, 'Pending');
        return;
      }
      if (!pv.spec?.claimRef || isVolumeBoundToClaim(pv, claim)) {
        await this.bind(pv, claim);
        return;
      }
      this.recorder.eventf(claim, 'Warning', 'FailedBinding', 'volume "%s" already bound to a different claim.', volumeName);
      await this.setClaimPhase(claim, 'Pending');
      return;
    }
    const className = claimClass(claim);
    const cls = className ? this.classes.lister.get(undefined, className) : undefined;
    const delayBinding = cls?.volumeBindingMode === 'WaitForFirstConsumer';
    const pv = findMatchingVolume(claim, this.volumes.lister.list(), delayBinding);
    if (pv) {
      await this.bind(pv, claim);
      return;
    }
    if (delayBinding && !claim.metadata.annotations?.[ANN_SELECTED_NODE]) {
      this.recorder.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    } else if (className && !cls) {
      this.recorder.eventf(claim, 'Warning', 'ProvisioningFailed', 'storageclass.storage.k8s.io "%s" not found', className);
    } else if (cls && cls.provisioner && cls.provisioner !== NO_PROVISIONER) {
      await this.handOverToProvisioner(claim, cls.provisioner);
    } else {
      this.recorder.event(claim, 'Normal', 'FailedBinding', className
        ? 'no persistent volumes available for this claim and no storage class provisioner is set'
        : 'no persistent volumes available for this claim and no storage class is set');
    }
    await this.setClaimPhase(claim, 'Pending');
  }

  /** Gives a claim without a class the default one; true when it wrote (the update brings it back). */
  private async assignDefaultClass(claim: PersistentVolumeClaim): Promise<boolean> {
    if (claim.spec?.storageClassName != null || claim.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined) return false;
    if (claim.spec?.volumeName || this.noDefaultClass.has(claim.metadata.uid!)) return false;
    const cls = defaultClass(this.classes.lister.list());
    if (!cls) return false;
    try {
      await this.client.patch(resources.persistentvolumeclaims, claim.metadata.namespace, claim.metadata.name!, {
        metadata: { resourceVersion: claim.metadata.resourceVersion }, spec: { storageClassName: cls.metadata.name },
      }, 'merge');
      log('persistentvolume-binder', 'assigned the default StorageClass', { claim: claimKey(claim), storageClass: cls.metadata.name });
      return true;
    } catch (err) {
      if (isInvalid(err)) {
        // This API server does not let a class be set after creation: the claim keeps none.
        this.noDefaultClass.add(claim.metadata.uid!);
        logError('persistentvolume-binder', 'cannot assign the default StorageClass', { claim: claimKey(claim), err: (err as Error).message });
        return false;
      }
      if (isNotFound(err)) return true;
      throw err;
    }
  }

  private async handOverToProvisioner(claim: PersistentVolumeClaim, provisioner: string): Promise<void> {
    const ann = claim.metadata.annotations ?? {};
    if (ann[ANN_STORAGE_PROVISIONER] !== provisioner || ann[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
      await this.client.patch(resources.persistentvolumeclaims, claim.metadata.namespace, claim.metadata.name!, {
        metadata: { annotations: { [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner } },
      }, 'merge');
    }
    this.recorder.eventf(claim, 'Normal', 'ExternalProvisioning',
      "Waiting for a volume to be created either by the external provisioner '%s' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.", provisioner);
  }

  private async syncBoundClaim(claim: PersistentVolumeClaim): Promise<void> {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) {
      // Was bound, and lost the name of its volume.
      if (claim.status?.phase !== 'Lost') this.recorder.event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      await this.setClaimPhase(claim, 'Lost');
      return;
    }
    let pv = this.volumes.lister.get(undefined, volumeName);
    if (!pv) {
      // The cache may just not have it yet; only the API server can say it is gone.
      try {
        pv = await this.client.get<PersistentVolume>(resources.persistentvolumes, undefined, volumeName);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (!pv) {
      if (claim.status?.phase !== 'Lost') this.recorder.event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      await this.setClaimPhase(claim, 'Lost');
      return;
    }
    if (!pv.spec?.claimRef || isVolumeBoundToClaim(pv, claim)) {
      await this.bind(pv, claim);
      return;
    }
    if (claim.status?.phase !== 'Lost') this.recorder.event(claim, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
    await this.setClaimPhase(claim, 'Lost');
  }

  /** Both halves of a binding, each written only when it differs, then both phases Bound. */
  private async bind(pv: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
    let volume = pv;
    const ref = volume.spec?.claimRef;
    if (!ref || ref.uid !== claim.metadata.uid) {
      const annotations = { ...(volume.metadata.annotations ?? {}) };
      if (!ref) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
      volume = await this.client.update<PersistentVolume>(resources.persistentvolumes, undefined, {
        ...volume,
        metadata: { ...volume.metadata, annotations },
        spec: {
          ...volume.spec,
          claimRef: {
            kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name,
            uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion,
          },
        },
      });
      log('persistentvolume-binder', 'volume bound to claim', { volume: volume.metadata.name, claim: claimKey(claim) });
    }
    volume = await this.setVolumePhase(volume, 'Bound');
    let c = claim;
    const ann = c.metadata.annotations ?? {};
    if (c.spec?.volumeName !== volume.metadata.name || ann[ANN_BIND_COMPLETED] === undefined) {
      const annotations: Record<string, string> = { ...ann, [ANN_BIND_COMPLETED]: 'yes' };
      if (!c.spec?.volumeName) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
      c = await this.client.update<PersistentVolumeClaim>(resources.persistentvolumeclaims, c.metadata.namespace, {
        ...c, metadata: { ...c.metadata, annotations }, spec: { ...c.spec, volumeName: volume.metadata.name },
      });
    }
    const capacity = volume.spec?.capacity ?? {};
    const modes = volume.spec?.accessModes ?? [];
    const st = c.status ?? {};
    if (st.phase === 'Bound' && JSON.stringify(st.capacity ?? {}) === JSON.stringify(capacity) && JSON.stringify(st.accessModes ?? []) === JSON.stringify(modes)) return;
    await this.client.updateStatus<PersistentVolumeClaim>(resources.persistentvolumeclaims, c.metadata.namespace, {
      ...c, status: { ...st, phase: 'Bound', capacity, accessModes: modes },
    });
  }

  private async setClaimPhase(claim: PersistentVolumeClaim, phase: string): Promise<void> {
    if (claim.status?.phase === phase) return;
    const status: Record<string, unknown> = { ...(claim.status ?? {}), phase };
    if (phase !== 'Bound') {
      delete status.capacity;
      delete status.accessModes;
    }
    await this.client.updateStatus(resources.persistentvolumeclaims, claim.metadata.namespace, { ...claim, status });
  }

  // ---- volumes ----

  async syncVolume(name: string): Promise<void> {
    const pv = this.volumes.lister.get(undefined, name);
    if (!pv) return;
    const ref = pv.spec?.claimRef;
    if (!ref) {
      await this.setVolumePhase(pv, 'Available');
      return;
    }
    if (!ref.uid) {
      // Pre-bound by an administrator to a claim not bound yet; the claim's sync binds it.
      await this.setVolumePhase(pv, 'Available');
      if (ref.namespace && ref.name) this.claimQueue.add(`${ref.namespace}/${ref.name}`);
      return;
    }
    let claim = ref.namespace && ref.name ? this.claims.lister.get(ref.namespace, ref.name) : undefined;
    if (!claim && ref.namespace && ref.name) {
      try {
        claim = await this.client.get<PersistentVolumeClaim>(resources.persistentvolumeclaims, ref.namespace, ref.name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
    if (!claim) {
      await this.release(pv);
      return;
    }
    const bound = claim.spec?.volumeName;
    if (!bound) {
      // Binding in progress (the claim's half is not written yet).
      this.claimQueue.add(claimKey(claim));
      return;
    }
    if (bound === pv.metadata.name) {
      await this.setVolumePhase(pv, 'Bound');
      return;
    }
    // The claim went to another volume: this one is free again.
    const annotations = { ...(pv.metadata.annotations ?? {}) };
    const byController = annotations[ANN_BOUND_BY_CONTROLLER] !== undefined;
    delete annotations[ANN_BOUND_BY_CONTROLLER];
    const spec = { ...pv.spec };
    if (byController) delete spec.claimRef;
    else spec.claimRef = { kind: ref.kind, apiVersion: ref.apiVersion, namespace: ref.namespace, name: ref.name };
    const updated = await this.client.update<PersistentVolume>(resources.persistentvolumes, undefined, { ...pv, metadata: { ...pv.metadata, annotations }, spec });
    await this.setVolumePhase(updated, 'Available');
  }

  /** The claim is gone: Released, then reclaimed by the volume's policy. */
  private async release(pv: PersistentVolume): Promise<void> {
    let volume = pv;
    if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') volume = await this.setVolumePhase(volume, 'Released');
    const policy = volume.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Delete') {
      try {
        await this.client.delete(resources.persistentvolumes, undefined, volume.metadata.name!, { preconditions: { uid: volume.metadata.uid } });
        log('persistentvolume-binder', 'released volume deleted (reclaim policy Delete)', { volume: volume.metadata.name });
      } catch (err) {
        if (isNotFound(err) || isConflict(err)) return;
        this.recorder.eventf(volume, 'Warning', 'VolumeFailedDelete', '%s', (err as Error).message);
        throw err;
      }
    } else if (policy === 'Recycle' && volume.status?.phase !== 'Failed') {
      this.recorder.event(volume, 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
      await this.setVolumePhase(volume, 'Failed', 'No recycler plugin found for the volume!');
    }
  }

  private async setVolumePhase(pv: PersistentVolume, phase: string, message?: string): Promise<PersistentVolume> {
    if (pv.status?.phase === phase && (message === undefined || pv.status.message === message)) return pv;
    const status: NonNullable<PersistentVolume['status']> = { ...(pv.status ?? {}), phase, lastPhaseTransitionTime: wireTime(this.now()) };
    if (message !== undefined) status.message = message;
    else delete status.message;
    return this.client.updateStatus<PersistentVolume>(resources.persistentvolumes, undefined, { ...pv, status });
  }
}
