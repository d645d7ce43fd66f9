// The kubelet: registers the node, keeps its Lease and status fresh, and runs the pods bound to
// it on any RuntimeDriver (cri for real containers, host for plain processes). Pods come from an
// informer on spec.nodeName; each pod is synced by one worker at a time (the work queue never
// hands a key to two workers), on every change of the pod, of its containers (the PLEG relist),
// of its probes, of the ConfigMaps and Secrets it uses, and every resync period.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EventBroadcaster, InformerFactory, WorkQueue, isConflict, resources, runWorkers, type RestClient } from '../client/index.js';
import type { KObject } from '../api/resource.js';
import { log, logError } from '../machinery/log.js';
import { cgroupMemoryUsage, EvictionManager } from './eviction.js';
import { Reasons } from './events.js';
import { filesystemStats, machineInfo, memoryAvailableBytes } from './node/machine.js';
import { NodeAgent } from './node/node-agent.js';
import { allocatable as nodeAllocatable, type NodeFacts, type NodeHealth } from './node/node-status.js';
import { ObjectCache } from './objects.js';
import { BackOff } from './pod/backoff.js';
import { ImageManager } from './pod/images.js';
import { PLEG } from './pod/pleg.js';
import { PodSyncer } from './pod/pod-sync.js';
import { PodAdmitter } from './pod/admission.js';
import { cancellableRuntime, isPodWorkCancelled } from './pod/cancellable-runtime.js';
import { PodCgroups } from './pod/pod-cgroups.js';
import { podCgroupParent } from './pod/resources.js';
import type { Service } from './pod/service-env.js';
import { ProbeManager } from './probes/probe-manager.js';
import type { RuntimeDriver } from './runtime.js';
import { StatusManager } from './status/status-manager.js';
import { errMessage, type ConfigMap, type Node, type Pod, type Secret } from './types.js';
import { VolumeManager } from './volumes/volume-manager.js';

export { HostRuntime } from './host/host-runtime.js';
export { readContainerLog, podLogDirectory, containerLogPath } from './logs.js';

export interface KubeletOptions {
  client: RestClient;
  nodeName: string;
  runtime: RuntimeDriver;
  /** The kubelet's directory: pods/<uid> (volumes), logs/pods/<ns>_<name>_<uid> (container logs). */
  rootDir: string;
  /** The node's pod range, set on registration when the node has none. */
  podCIDR?: string;
  labels?: Record<string, string>;
  /** The node's InternalIP, also the pod IP of host-network pods (and of every pod of the host driver). Default 127.0.0.1. */
  nodeIP?: string;
  maxPods?: number;
  /** Cluster DNS servers for ClusterFirst pods; without them pods get the host's resolv.conf. */
  clusterDNS?: string[];
  clusterDomain?: string;
  /** Reported as daemonEndpoints.kubeletEndpoint.Port; 10250. */
  kubeletPort?: number;
  /** Hard eviction threshold of memory.available, bytes; 100Mi. */
  evictionMemoryThresholdBytes?: number;
  /** Where the eviction manager reads available memory; /proc/meminfo's MemAvailable by default. */
  memoryAvailable?: () => Promise<number | undefined>;
  leaseDurationSeconds?: number;
  leaseRenewIntervalMs?: number;
  statusUpdateIntervalMs?: number;
  statusReportIntervalMs?: number;
  /** How often the runtime is relisted for container changes; 1 s. */
  relistPeriodMs?: number;
  /**
   * How often each pod is synced even when nothing changed; 1 min, Kubernetes' syncFrequency.
   * Changes come as events (the pod, its ConfigMaps and Secrets, PLEG, probes) and back-offs and
   * deadlines requeue at their own time, so the resync only rewrites tokens due for rotation and
   * repairs what no event told of; at 100 pods a 10 s period was most of the kubelet's work at rest.
   */
  resyncIntervalMs?: number;
  housekeepingIntervalMs?: number;
  evictionIntervalMs?: number;
  /** CrashLoopBackOff: 10 s doubling to 5 min. */
  crashLoopBackOff?: { initialMs: number; maxMs: number };
  /** Image pull back-off: 10 s doubling to 5 min. */
  imagePullBackOff?: { initialMs: number; maxMs: number };
  podWorkers?: number;
}

export interface Kubelet {
  readonly nodeName: string;
  /**
   * Stops the kubelet promptly, as a real one exits on SIGTERM: pod work in flight is cancelled, not
   * waited out (a graceful kill keeps running in the runtime). Pods keep running in the runtime
   * (stop their sandboxes or close the runtime to stop them); no runtime call that creates or
   * removes something is still under way when it resolves.
   */
  stop(): Promise<void>;
}

const MI = 1024 * 1024;

function dropManagedFields<T extends KObject>(obj: T): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
}

/** Starts a kubelet; resolves once its Node is registered and its pods are being synced. */
export async function startKubelet(opts: KubeletOptions): Promise<Kubelet> {
  const { client, runtime, nodeName } = opts;
  const nodeIP = opts.nodeIP ?? '127.0.0.1';
  const logRoot = join(opts.rootDir, 'logs');
  await mkdir(join(opts.rootDir, 'pods'), { recursive: true });
  await mkdir(logRoot, { recursive: true });

  const machine = await machineInfo();
  const version = await runtime.version();
  const runtimeName = version.runtimeName || runtime.name;
  const facts = async (): Promise<NodeFacts> => ({
    nodeName, nodeIP, machine,
    ephemeralCapacityBytes: (await filesystemStats(opts.rootDir)).capacityBytes,
    maxPods: opts.maxPods ?? 110,
    evictionMemoryBytes: opts.evictionMemoryThresholdBytes ?? 100 * MI,
    runtimeVersion: `${runtimeName}://${version.runtimeVersion}`,
    kubeletPort: opts.kubeletPort ?? 10250,
    isolated: runtime.isolated,
  });
  let currentFacts = await facts();

  const broadcaster = new EventBroadcaster(client);
  const recorder = broadcaster.newRecorder({ component: 'kubelet', host: nodeName });
  const nodeRef = { kind: 'Node', name: nodeName, uid: nodeName, apiVersion: 'v1' };

  const factory = new InformerFactory(client, { transform: dropManagedFields });
  const podInformer = factory.forResource<Pod>(resources.pods, { fieldSelector: `spec.nodeName=${nodeName}` });
  const serviceInformer = factory.forResource<Service>(resources.services);
  const nodeInformer = factory.forResource<Node>(resources.nodes, { fieldSelector: `metadata.name=${nodeName}` });
  const podsByUID = new Map<string, Pod>();
  const queue = new WorkQueue<string>({ name: 'kubelet-pods' });

  const configMaps = new ObjectCache<ConfigMap>(client, resources.configmaps, (uids) => uids.forEach((u) => queue.add(u)));
  const secrets = new ObjectCache<Secret>(client, resources.secrets, (uids) => uids.forEach((u) => queue.add(u)));
  // What the pod workers call the runtime through: stop() cancels their waits on it.
  const podRuntime = cancellableRuntime(runtime);
  const images = new ImageManager({
    runtime: podRuntime.runtime, recorder,
    backOff: new BackOff(opts.imagePullBackOff?.initialMs ?? 10_000, opts.imagePullBackOff?.maxMs ?? 300_000),
    pullSecrets: async (pod) => {
      const out: Secret[] = [];
      for (const ref of pod.spec?.imagePullSecrets ?? []) {
        if (!ref.name) continue;
        const s = await secrets.get(pod.metadata.namespace ?? 'default', ref.name, pod.metadata.uid!);
        if (s) out.push(s);
      }
      return out;
    },
  });
  const volumes = new VolumeManager({ rootDir: opts.rootDir, client });
  const probes = new ProbeManager({ runtime, recorder, onChange: (uid) => queue.add(uid) });
  const status = new StatusManager({ client });
  const crashLoop = new BackOff(opts.crashLoopBackOff?.initialMs ?? 10_000, opts.crashLoopBackOff?.maxMs ?? 300_000);

  const podCgroups = runtime.isolated ? new PodCgroups() : undefined;
  const activePods = () => [...podsByUID.values()].filter((p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
  const syncer = new PodSyncer({
    client, runtime: podRuntime.runtime, signal: podRuntime.signal, runtimeName, nodeName, hostIP: () => nodeIP, logRoot, recorder, images, volumes, probes, status,
    configMap: (ns, name, uid) => configMaps.get(ns, name, uid),
    secret: (ns, name, uid) => secrets.get(ns, name, uid),
    releaseObjects: (uid) => {
      configMaps.release(uid);
      secrets.release(uid);
    },
    services: () => serviceInformer.lister.list(),
    allocatable: () => nodeAllocatable(currentFacts),
    memoryCapacityBytes: machine.memoryBytes,
    dns: { clusterDNS: opts.clusterDNS, clusterDomain: opts.clusterDomain ?? 'cluster.local' },
    crashLoop,
    requeue: (uid, ms) => (ms <= 0 ? queue.add(uid) : queue.addAfter(uid, ms)),
    podByUID: (uid) => podsByUID.get(uid),
    resyncMs: opts.resyncIntervalMs ?? 60_000,
    podCgroups,
    admitter: new PodAdmitter({
      node: () => nodeInformer.lister.get(undefined, nodeName) ?? nodeAgent?.current,
      fetchNode: () => client.get<Node>(resources.nodes, undefined, nodeName),
    }),
  });

  const threshold = opts.evictionMemoryThresholdBytes ?? 100 * MI;
  let nodeAgent: NodeAgent | undefined;
  const eviction = new EvictionManager({
    thresholdBytes: threshold,
    intervalMs: opts.evictionIntervalMs ?? 10_000,
    memoryAvailable: opts.memoryAvailable ?? memoryAvailableBytes,
    podUsage: (pod) => (runtime.isolated ? cgroupMemoryUsage(podCgroupParent(pod)) : Promise.resolve(undefined)),
    activePods,
    evict: (pod, message) => {
      log('kubelet', 'evicting pod under memory pressure', { pod: `${pod.metadata.namespace}/${pod.metadata.name}` });
      recorder.event({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1' }, 'Warning', Reasons.Evicted, message);
      syncer.fail(pod.metadata.uid!, 'Evicted', message);
      queue.add(pod.metadata.uid!);
    },
    onPressureChange: (pressure) => {
      recorder.event(nodeRef, 'Normal', pressure ? Reasons.NodeHasInsufficientMemory : Reasons.NodeHasSufficientMemory,
        `Node ${nodeName} status is now: ${pressure ? 'NodeHasInsufficientMemory' : 'NodeHasSufficientMemory'}`);
      void nodeAgent?.updateStatus(true).catch((err) => logError('kubelet', 'cannot post node status', { err: errMessage(err) }));
    },
  });

  const health = async (): Promise<NodeHealth> => {
    const h: NodeHealth = { memoryPressure: eviction.memoryPressure, diskPressure: false, pidPressure: false };
    try {
      const fs = await filesystemStats(opts.rootDir);
      h.diskPressure = fs.availableBytes < fs.capacityBytes * 0.1;
    } catch {
      // an unreadable filesystem is reported by the runtime soon enough
    }
    const withStatus = runtime as RuntimeDriver & { status?: () => Promise<Array<{ type: string; status: boolean; reason: string; message: string }>> };
    if (typeof withStatus.status === 'function') {
      try {
        const conds = await withStatus.status();
        const down = conds.filter((c) => !c.status);
        const rt = down.find((c) => c.type === 'RuntimeReady');
        const net = down.find((c) => c.type === 'NetworkReady');
        if (rt) h.notReady = `container runtime is down: RuntimeReady=false reason:${rt.reason} message:${rt.message}`;
        else if (net) h.notReady = `container runtime network not ready: NetworkReady=false reason:${net.reason} message:${net.message}`;
      } catch (err) {
        h.notReady = `container runtime status check may not have completed yet: ${errMessage(err)}`;
      }
    }
    return h;
  };

  nodeAgent = new NodeAgent({
    client,
    facts: () => currentFacts,
    health,
    images: async () => {
      try {
        return (await runtime.listImages()).slice(0, 50).map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.size }));
      } catch {
        return [];
      }
    },
    labels: opts.labels,
    podCIDR: opts.podCIDR,
    leaseDurationSeconds: opts.leaseDurationSeconds ?? 40,
    leaseRenewIntervalMs: opts.leaseRenewIntervalMs ?? 10_000,
    statusUpdateIntervalMs: opts.statusUpdateIntervalMs ?? 10_000,
    statusReportIntervalMs: opts.statusReportIntervalMs ?? 60_000,
    onReadyChange: (ready) => recorder.event(nodeRef, 'Normal', ready ? Reasons.NodeReady : 'NodeNotReady', `Node ${nodeName} status is now: ${ready ? 'NodeReady' : 'NodeNotReady'}`),
  });

  recorder.event(nodeRef, 'Normal', Reasons.Starting, 'Starting kubelet.');
  if (!runtime.isolated) {
    const msg = `Containers on this node run as plain processes of the node agent (${runtime.name} driver): no isolation, no resource limits, images are not used`;
    log('kubelet', msg, { node: nodeName });
    recorder.event(nodeRef, 'Warning', Reasons.NodeUnisolated, msg);
  }
  await nodeAgent.register();
  nodeAgent.start();

  podInformer.addEventHandler({
    onAdd: (p) => {
      podsByUID.set(p.metadata.uid!, p);
      queue.add(p.metadata.uid!);
    },
    onUpdate: (_old, p) => {
      podsByUID.set(p.metadata.uid!, p);
      // The echo of the kubelet's own status write needs no sync; PLEG and resync cover the rest.
      if (!status.isOwnWrite(p)) queue.add(p.metadata.uid!);
    },
    onDelete: (p) => {
      podsByUID.delete(p.metadata.uid!);
      queue.add(p.metadata.uid!);
    },
  });
  factory.start();
  await factory.waitForSync();

  const workers = runWorkers(queue, opts.podWorkers ?? 16, (uid) => syncer.sync(uid), {
    onError: (uid, err, retries) => {
      if (isPodWorkCancelled(err)) return;
      if (isConflict(err) && retries < 5) return;
      logError('kubelet', 'pod sync failed; retrying', { uid, retries, err: errMessage(err) });
    },
  });

  const pleg = new PLEG(runtime, opts.relistPeriodMs ?? 1000, (uid, fingerprint) => {
    if (syncer.runtimeChanged(uid, fingerprint)) queue.add(uid);
  });
  pleg.start();
  eviction.start();

  let housekeeping: NodeJS.Timeout | undefined;
  let stopping = false;
  const housekeep = async () => {
    try {
      currentFacts = await facts();
      await syncer.removeOrphans(new Set(podsByUID.keys()));
      await podCgroups?.updateQOS(activePods());
      crashLoop.gc();
      images.backOff.gc();
    } catch (err) {
      logError('kubelet', 'housekeeping failed', { err: errMessage(err) });
    }
    if (!stopping) housekeeping = setTimeout(() => void housekeep(), opts.housekeepingIntervalMs ?? 10_000);
  };
  await housekeep();
  log('kubelet', 'kubelet started', { node: nodeName, runtime: `${runtimeName}://${version.runtimeVersion}` });

  return {
    nodeName,
    async stop() {
      stopping = true;
      if (housekeeping) clearTimeout(housekeeping);
      pleg.stop();
      eviction.stop();
      probes.stop();
      podRuntime.cancel();
      queue.shutDown();
      await workers;
      if (!(await podRuntime.settled(10_000))) logError('kubelet', 'runtime calls of the pod workers still under way after 10 s', { node: nodeName });
      await nodeAgent!.stop();
      await factory.stop();
      await configMaps.stop();
      await secrets.stop();
      await Promise.race([broadcaster.shutdown(), new Promise((r) => setTimeout(r, 2000))]);
    },
  };
}
