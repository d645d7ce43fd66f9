// The pod worker's sync, as the kubelet's SyncPod: set up volumes, make sure the sandbox runs, run
// init containers one at a time to completion (sidecars are started in order and left running),
// then start or restart the regular containers per restartPolicy with CrashLoopBackOff, and report
// the status. Deleted pods are stopped gracefully (preStop, SIGTERM, grace period, SIGKILL) and
// then removed from the API server. Each call converges the pod one step from what the runtime
// holds; running it twice does no harm.
import { readFile, rm } from 'node:fs/promises';
import { isConflict, isNotFound, resources, type RestClient } from '../../client/index.js';
import { log, logError } from '../../machinery/log.js';
import type { ContainerStatus as RuntimeContainer, RuntimeDriver, SandboxConfig } from '../runtime.js';
import { containerRef, podRef, Reasons, type Recorder } from '../events.js';
import { podLogDirectory, readContainerLog } from '../logs.js';
import type { ProbeManager, RunningContainer } from '../probes/probe-manager.js';
import { generatePodStatus, type WaitingReason } from '../status/pod-status.js';
import type { StatusManager } from '../status/status-manager.js';
import { errMessage, isSidecar, podDesc, wireTime, type ConfigMap, type Container, type Pod, type Secret } from '../types.js';
import type { PodVolume, VolumeManager } from '../volumes/volume-manager.js';
import { VolumeError } from '../volumes/volume-manager.js';
import { BackOff, goDuration } from './backoff.js';
import { containerConfig, containerHash, sandboxConfig, type DNSSettings } from './container-config.js';
import { ContainerConfigError, expandCommand, makeEnvironment } from './env.js';
import { runHook, HookError } from './hooks.js';
import { ImagePullError, type ImageManager } from './images.js';
import type { PodAdmitter } from './admission.js';
import type { PodCgroups } from './pod-cgroups.js';
import { rethrowIfCancelled } from './cancellable-runtime.js';
import { LABEL_CONTAINER_HASH, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, LABEL_TERMINATION_MESSAGE_FILE, latest, readPodState, stateFingerprint, supersedes, withCreated, withFirstSandbox, type PodRuntimeState } from './runtime-state.js';
import { serviceEnvFor, type Service } from './service-env.js';

/** Kubernetes' minimumGracePeriodInSeconds: containers always get this long after SIGTERM. */
const MIN_GRACE_SECONDS = 2;
const MAX_TERMINATION_MESSAGE = 4096;
const FALLBACK_LOG_LINES = 80;
const FALLBACK_LOG_BYTES = 2048;

export interface PodSyncDeps {
  client: RestClient;
  runtime: RuntimeDriver;
  /** Prefix of container IDs in the status: containerd://, host://. */
  runtimeName: string;
  nodeName: string;
  hostIP(): string;
  logRoot: string;
  recorder: Recorder;
  images: ImageManager;
  volumes: VolumeManager;
  probes: ProbeManager;
  status: StatusManager;
  configMap(namespace: string, name: string, podUID: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string, podUID: string): Promise<Secret | undefined>;
  /** Lets go of the ConfigMaps and Secrets a pod watched. */
  releaseObjects(podUID: string): void;
  services(): Service[];
  allocatable(): Record<string, string>;
  memoryCapacityBytes: number;
  dns: DNSSettings;
  crashLoop: BackOff;
  /** Sync the pod again after `ms` (soonest request wins). */
  requeue(uid: string, ms: number): void;
  /** The newest copy of the pod from the API server, undefined once it is gone. */
  podByUID(uid: string): Pod | undefined;
  /** How often a pod is looked at even when nothing happened. */
  resyncMs: number;
  /** The pod's own cgroup with its summed limits (runtimes with isolation). */
  podCgroups?: PodCgroups;
  /** Kubelet admission: whether a new pod fits the node beside the pods admitted before it. */
  admitter?: PodAdmitter;
  /** Aborted when the kubelet stops: waits that are not runtime calls (preStop hooks) end with it. */
  signal?: AbortSignal;
}

interface PodRecord {
  uid: string;
  pod: Pod;
  firstSeen: number;
  reasons: Map<string, WaitingReason>;
  volumes: Map<string, PodVolume>;
  /** Termination messages by container id, read once per exited container. */
  messages: Map<string, string>;
  /** Evicted or past its deadline: Failed with this reason. */
  failure?: { reason: string; message: string };
  /** Containers stopped for good (completed, failed, evicted, deleted). */
  finished: boolean;
  finalDeleteSent: boolean;
  mountFailures: number;
  /** Passed kubelet admission: it counts against the node until it finishes. */
  admitted: boolean;
  /** Refused by kubelet admission: it never starts, and its status says only why. */
  rejected?: boolean;
  /**
   * What this kubelet did in the pod's runtime since its state was last read: the containers it
   * created, and whether it stopped or removed anything. A sync reads the runtime again only after
   * something, and only the new containers when that was all.
   */
  unread: { created: string[]; other: boolean };
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

export class PodSyncer {
  private readonly records = new Map<string, PodRecord>();
  /** Per pod, the fingerprint of the runtime state its last completed sync acted on. */
  private readonly acted = new Map<string, string>();
  /** Pods whose sync is running, with the PLEG relists of each seen meanwhile. */
  private readonly syncing = new Map<string, string[]>();

  constructor(private readonly d: PodSyncDeps) {}

  /** Pods the kubelet is tracking (for eviction and housekeeping). */
  knownUIDs(): string[] {
    return [...this.records.keys()];
  }

  /** Marks a pod Failed with reason and message (eviction); the next sync stops it. */
  fail(uid: string, reason: string, message: string): void {
    const rec = this.records.get(uid);
    if (rec) rec.failure ??= { reason, message };
  }

  /**
   * Whether a PLEG relist that found the pod's runtime state as `fingerprint` (runtimeFingerprint)
   * calls for a sync. Not when it is the state the pod's last sync acted on, e.g. the container that
   * sync started, now running. While a sync runs, the relist is kept and weighed when it ends: it
   * usually shows a step the sync went on past, which used to cost every new pod a second sync.
   */
  runtimeChanged(uid: string, fingerprint: string): boolean {
    const seen = this.syncing.get(uid);
    if (seen) {
      seen.push(fingerprint);
      return false;
    }
    return this.acted.get(uid) !== fingerprint;
  }

  async sync(uid: string): Promise<void> {
    const seen: string[] = [];
    this.syncing.set(uid, seen);
    try {
      await this.syncPod(uid);
    } finally {
      this.syncing.delete(uid);
      const acted = this.acted.get(uid);
      if (seen.some((fp) => acted === undefined || !supersedes(acted, fp))) this.d.requeue(uid, 0);
    }
  }

  private async syncPod(uid: string): Promise<void> {
    this.acted.delete(uid);
    const pod = this.d.podByUID(uid);
    const rec = this.records.get(uid);
    if (!pod) {
      await this.cleanup(uid, rec);
      return;
    }
    if (!rec) {
      this.records.set(uid, {
        uid, pod, firstSeen: Date.now(), reasons: new Map(), volumes: new Map(), messages: new Map(),
        finished: false, finalDeleteSent: false, mountFailures: 0, admitted: false, unread: { created: [], other: false },
      });
    }
    const r = this.records.get(uid)!;
    r.pod = pod;
    if (pod.metadata.deletionTimestamp) return this.terminate(r);
    if (TERMINAL.has(pod.status?.phase ?? '') && !r.failure) {
      if (!r.finished) await this.finish(r);
      return;
    }
    if (r.failure) {
      if (!r.finished) {
        await this.killPod(r, this.graceSeconds(pod), r.failure.reason === 'Evicted' ? 0 : undefined);
        r.finished = true;
      }
      if (r.rejected) {
        // As the kubelet's rejectPod: phase, reason and message, no container statuses.
        const written = await this.d.status.setStatus(pod, { phase: 'Failed', reason: r.failure.reason, message: r.failure.message, startTime: pod.status?.startTime ?? wireTime(r.firstSeen) });
        if (written) r.pod = written;
        return;
      }
      await this.writeStatus(r, await readPodState(this.d.runtime, uid), true);
      return;
    }
    if (!r.admitted && !(await this.admit(r))) return this.syncPod(uid);
    if (this.deadlinePassed(r)) return this.syncPod(uid);
    await this.run(r);
    this.d.requeue(uid, this.d.resyncMs);
  }

  /** Kubelet admission of a pod seen for the first time; a rejected pod is to fail with the reason. */
  private async admit(rec: PodRecord): Promise<boolean> {
    const admitter = this.d.admitter;
    if (!admitter) {
      rec.admitted = true;
      return true;
    }
    // Started by an earlier run of the kubelet: it was admitted then.
    if (rec.pod.status?.phase === 'Running') {
      admitter.readmit(rec.pod);
      rec.admitted = true;
      return true;
    }
    // Pods count until their containers stopped for good, or until they left the API server.
    const result = await admitter.admit(rec.pod, (uid) => {
      const other = this.records.get(uid);
      return !!other && other.admitted && !other.finished && this.d.podByUID(uid) !== undefined;
    });
    if (result.admit) {
      rec.admitted = true;
      return true;
    }
    this.d.recorder.event(podRef(rec.pod), 'Warning', result.reason, result.message);
    log('kubelet', 'pod rejected', { pod: podDesc(rec.pod), reason: result.reason, message: result.message });
    rec.failure = { reason: result.reason, message: `Pod was rejected: ${result.message}` };
    rec.rejected = true;
    rec.finished = true;
    return false;
  }

  // ---- running ----

  private async run(rec: PodRecord): Promise<void> {
    const { runtime } = this.d;
    const pod = rec.pod;
    const uid = rec.uid;
    let state = await readPodState(runtime, uid);
    await this.readTerminationMessages(rec, state);

    try {
      rec.volumes = await this.d.volumes.setUp(pod, this.projectionSources(rec));
      rec.mountFailures = 0;
    } catch (err) {
      if (!(err instanceof VolumeError)) throw err;
      rec.mountFailures++;
      this.d.recorder.event(podRef(pod), 'Warning', Reasons.FailedMount, `MountVolume.SetUp failed for volume "${err.volume}" : ${err.message}`);
      await this.writeStatus(rec, state);
      this.d.requeue(uid, Math.min(500 * 2 ** rec.mountFailures, 120_000));
      return;
    }

    const spec = pod.spec ?? {};
    const policy = spec.restartPolicy ?? 'Always';
    if (state.sandbox?.state !== 'ready') {
      if (state.sandbox) {
        this.d.recorder.event(podRef(pod), 'Normal', Reasons.SandboxChanged, 'Pod sandbox changed, it will be killed and re-created.');
        await this.killPod(rec, 0, 0);
      }
      const everRan = [...state.containers.values()].some((l) => l.length > 0);
      if (policy === 'Never' && everRan) {
        rec.finished = true;
        await this.writeStatus(rec, await readPodState(runtime, uid), true);
        return;
      }
      try {
        await this.d.podCgroups?.ensure(pod);
      } catch (err) {
        this.d.recorder.event(podRef(pod), 'Warning', 'FailedCreatePodContainer', `unable to ensure pod container exists: ${errMessage(err)}`);
        await this.writeStatus(rec, state);
        this.d.requeue(uid, 5000);
        return;
      }
      let sandboxId: string;
      try {
        sandboxId = await runtime.runPodSandbox(this.sandboxConfig(pod, state.sandboxes.length));
      } catch (err) {
        rethrowIfCancelled(err);
        this.d.recorder.event(podRef(pod), 'Warning', Reasons.FailedCreatePodSandBox, `Failed to create pod sandbox: ${errMessage(err)}`);
        await this.writeStatus(rec, state);
        this.d.requeue(uid, 5000);
        return;
      }
      // A pod's first sandbox has no containers beside it yet; after a sandbox change the old
      // containers' ends (restart counts, lastState) are read again.
      state = state.sandboxes.length === 0 ? await withFirstSandbox(runtime, uid, sandboxId) : await readPodState(runtime, uid);
    }
    const sandbox = state.sandbox!;
    rec.unread = { created: [], other: false };
    const sbConfig = this.sandboxConfig(pod, Math.max(0, state.sandboxes.length - 1));
    const podIP = this.podIP(pod, state) ?? this.d.hostIP();

    // Init containers, in order.
    let initialized = true;
    let initFailed = false;
    for (const c of spec.initContainers ?? []) {
      const cur = latest(state, c.name);
      if (isSidecar(c)) {
        if (cur?.state === 'running') {
          if (await this.restartIfUnhealthy(rec, c, cur, sandbox.id, sbConfig, podIP)) {
            initialized = false;
            break;
          }
          if (!this.d.probes.started(cur.id)) {
            initialized = false;
            break;
          }
          continue;
        }
        initialized = false;
        if (await this.maybeStart(rec, c, cur, sandbox.id, sbConfig, podIP)) this.d.requeue(uid, 0);
        break;
      }
      if (cur?.state === 'exited' && (cur.exitCode ?? 0) === 0) continue;
      initialized = false;
      if (cur?.state === 'running') break;
      if (cur?.state === 'exited' && policy === 'Never') {
        initFailed = true;
        break;
      }
      await this.maybeStart(rec, c, cur, sandbox.id, sbConfig, podIP);
      break;
    }

    if (initFailed) {
      await this.finish(rec);
    } else if (initialized) {
      for (const c of spec.containers ?? []) {
        const cur = latest(state, c.name);
        if (cur?.state === 'running') {
          await this.restartIfUnhealthy(rec, c, cur, sandbox.id, sbConfig, podIP);
          continue;
        }
        await this.maybeStart(rec, c, cur, sandbox.id, sbConfig, podIP);
      }
      state = await this.readAgain(rec, state);
      const done = (spec.containers ?? []).every((c) => {
        const cur = latest(state, c.name);
        return cur?.state === 'exited' && !willRestart(policy, cur);
      });
      if (done && (spec.containers ?? []).length > 0) await this.finish(rec);
    }

    // What this sync found is still the truth unless it started or stopped something; a
    // container that exits meanwhile is the PLEG's to report.
    state = await this.readAgain(rec, state);
    await this.readTerminationMessages(rec, state);
    await this.removeDeadContainers(state);
    if (!rec.finished) this.d.probes.update(pod, runningContainers(pod, state), podIP);
    await this.writeStatus(rec, state, rec.finished);
    this.acted.set(uid, stateFingerprint(state));
  }

  /** The pod's runtime state after what this sync did since `state` was read (rec.unread). */
  private async readAgain(rec: PodRecord, state: PodRuntimeState): Promise<PodRuntimeState> {
    const { created, other } = rec.unread;
    rec.unread = { created: [], other: false };
    if (other) return readPodState(this.d.runtime, rec.uid);
    return created.length > 0 ? withCreated(this.d.runtime, rec.uid, state, created) : state;
  }

  /** A running container whose liveness or startup probe failed, or whose spec changed, is restarted. */
  private async restartIfUnhealthy(rec: PodRecord, c: Container, cur: RuntimeContainer, sandboxId: string, sb: SandboxConfig, podIP: string): Promise<boolean> {
    const failed = this.d.probes.failedKind(cur.id);
    const changed = cur.labels?.[LABEL_CONTAINER_HASH] !== undefined && cur.labels[LABEL_CONTAINER_HASH] !== containerHash(c);
    if (!failed && !changed) return false;
    const message = failed ? `Container ${c.name} failed ${failed} probe, will be restarted` : `Container ${c.name} definition changed, will be restarted`;
    const probe = failed === 'liveness' ? c.livenessProbe : failed === 'startup' ? c.startupProbe : undefined;
    const grace = probe?.terminationGracePeriodSeconds ?? this.graceSeconds(rec.pod);
    await this.killContainer(rec, c, cur, grace, message);
    const policy = isSidecar(c) ? 'Always' : rec.pod.spec?.restartPolicy ?? 'Always';
    if (policy === 'Never' && !changed) return true;
    const exited = (await this.d.runtime.containerStatus(cur.id)) ?? cur;
    await this.startContainer(rec, c, exited.attempt + 1, sandboxId, sb, podIP);
    return true;
  }

  /** Starts a container that has never run, or restarts an exited one when its policy and back-off allow. */
  private async maybeStart(rec: PodRecord, c: Container, cur: RuntimeContainer | undefined, sandboxId: string, sb: SandboxConfig, podIP: string): Promise<boolean> {
    if (!cur) return this.startContainer(rec, c, 0, sandboxId, sb, podIP);
    if (cur.state === 'created') {
      rec.unread.other = true;
      await this.d.runtime.removeContainer(cur.id);
      return this.startContainer(rec, c, cur.attempt, sandboxId, sb, podIP);
    }
    if (cur.state !== 'exited') return false;
    const pod = rec.pod;
    const isInit = (pod.spec?.initContainers ?? []).includes(c);
    let policy = isSidecar(c) ? 'Always' : pod.spec?.restartPolicy ?? 'Always';
    // Init containers that are not sidecars run to completion: Always means "until it succeeds".
    if (isInit && !isSidecar(c) && policy === 'Always') policy = 'OnFailure';
    if (!willRestart(policy, cur)) return false;
    const key = `${rec.uid}/${c.name}`;
    const finished = cur.finishedAt ?? Date.now();
    if (this.d.crashLoop.isInBackOffSince(key, finished)) {
      const delay = this.d.crashLoop.get(key);
      rec.reasons.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${podDesc(pod)}` });
      this.d.recorder.event(containerRef(pod, c), 'Warning', Reasons.BackOff, `Back-off restarting failed container ${c.name} in pod ${podDesc(pod)}`);
      this.d.requeue(rec.uid, this.d.crashLoop.remaining(key, finished) + 20);
      return false;
    }
    this.d.crashLoop.next(key, finished);
    return this.startContainer(rec, c, cur.attempt + 1, sandboxId, sb, podIP);
  }

  /** Pull, configure, create, start and run postStart; a failure is remembered as the waiting reason. */
  private async startContainer(rec: PodRecord, c: Container, attempt: number, sandboxId: string, sb: SandboxConfig, podIP: string): Promise<boolean> {
    const { runtime, recorder } = this.d;
    const pod = rec.pod;
    const ref = containerRef(pod, c);
    const failWith = (reason: string, message: string, event = true) => {
      rec.reasons.set(c.name, { reason, message });
      if (event) recorder.event(ref, 'Warning', Reasons.Failed, `Error: ${reason === 'CreateContainerConfigError' || reason === 'CreateContainerError' || reason === 'RunContainerError' ? message : reason}`);
      return false;
    };
    try {
      await this.d.images.ensureImage(pod, c);
    } catch (err) {
      if (!(err instanceof ImagePullError)) throw err;
      const key = `${pod.metadata.uid}_${c.image}`;
      this.d.requeue(rec.uid, Math.max(1000, this.d.images.backOff.get(key)));
      return failWith(err.reason, err.message);
    }
    let config;
    try {
      const addresses = this.addresses(pod, podIP);
      const env = await makeEnvironment({
        pod, container: c, addresses, allocatable: this.d.allocatable(),
        serviceEnv: serviceEnvFor(this.d.services(), pod.metadata.namespace ?? 'default', pod.spec?.enableServiceLinks !== false),
        configMap: (ns, name) => this.d.configMap(ns, name, rec.uid),
        secret: (ns, name) => this.d.secret(ns, name, rec.uid),
        onInvalidKeys: (kind, name, keys) => recorder.event(podRef(pod), 'Warning', Reasons.InvalidEnvironmentVariableNames,
          `Keys [${keys.join(', ')}] from the EnvFrom ${kind} ${name} were skipped since they are considered invalid environment variable names.`),
      });
      const { command, args } = expandCommand(c, env);
      config = await containerConfig({
        pod, container: c, attempt, env, command, args, volumes: rec.volumes, podDir: this.d.volumes.podDir(rec.uid), podIP,
        clusterDomain: this.d.dns.clusterDomain, isolated: runtime.isolated, memoryCapacityBytes: this.d.memoryCapacityBytes,
      });
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      this.d.requeue(rec.uid, 10_000);
      return failWith('CreateContainerConfigError', err.message);
    }
    let id: string;
    try {
      id = await runtime.createContainer(sandboxId, config, sb);
    } catch (err) {
      rethrowIfCancelled(err);
      this.d.requeue(rec.uid, 10_000);
      return failWith('CreateContainerError', errMessage(err));
    }
    rec.unread.created.push(id);
    recorder.event(ref, 'Normal', Reasons.Created, `Created container: ${c.name}`);
    try {
      await runtime.startContainer(id);
    } catch (err) {
      rethrowIfCancelled(err);
      this.d.requeue(rec.uid, 1000);
      return failWith('RunContainerError', errMessage(err));
    }
    rec.reasons.delete(c.name);
    recorder.event(ref, 'Normal', Reasons.Started, `Started container ${c.name}`);
    log('kubelet', 'container started', { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, container: c.name, attempt });
    if (c.lifecycle?.postStart) {
      try {
        await runHook(c.lifecycle.postStart, 'PostStart', pod, c, id, podIP, runtime, this.graceSeconds(pod));
      } catch (err) {
        if (!(err instanceof HookError)) throw err;
        recorder.event(ref, 'Warning', Reasons.FailedPostStartHook, err.message);
        const cur = await runtime.containerStatus(id);
        if (cur) await this.killContainer(rec, c, cur, this.graceSeconds(pod), 'FailedPostStartHook');
        return false;
      }
    }
    return true;
  }

  // ---- stopping ----

  /** Stops a container: preStop within the grace period, then SIGTERM, then SIGKILL when it ends. */
  private async killContainer(rec: PodRecord, c: Container | undefined, cur: RuntimeContainer, graceSeconds: number, message: string, override?: number): Promise<void> {
    const pod = rec.pod;
    const name = c?.name ?? cur.name;
    rec.unread.other = true;
    this.d.recorder.event(containerRef(pod, name), 'Normal', Reasons.Killing, message);
    let grace = graceSeconds;
    if (c?.lifecycle?.preStop && cur.state === 'running' && override === undefined) {
      const started = Date.now();
      const abort = new AbortController();
      const onStop = () => abort.abort();
      this.d.signal?.addEventListener('abort', onStop, { once: true });
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          runHook(c.lifecycle.preStop, 'PreStop', pod, c, cur.id, this.podIPOf(rec), this.d.runtime, graceSeconds, abort.signal),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, graceSeconds * 1000))),
          new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true })),
        ]);
      } catch (err) {
        rethrowIfCancelled(err);
        this.d.recorder.event(containerRef(pod, name), 'Warning', Reasons.FailedPreStopHook, errMessage(err));
      } finally {
        clearTimeout(timer);
        abort.abort();
        this.d.signal?.removeEventListener('abort', onStop);
      }
      grace -= Math.floor((Date.now() - started) / 1000);
    }
    if (override !== undefined) grace = override;
    else grace = Math.max(grace, MIN_GRACE_SECONDS);
    await this.d.runtime.stopContainer(cur.id, grace);
  }

  /**
   * Stops every running container of the pod (regular ones together, then sidecars in reverse
   * order with what is left of the grace period) and the sandbox.
   */
  private async killPod(rec: PodRecord, graceSeconds: number, override?: number): Promise<void> {
    const pod = rec.pod;
    rec.unread.other = true;
    const state = await readPodState(this.d.runtime, rec.uid);
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const specOf = (name: string) => specs.find((s) => s.name === name);
    const live = [...state.containers.values()].flat().filter((c) => c.state === 'running' || c.state === 'created');
    const sidecarNames = (pod.spec?.initContainers ?? []).filter(isSidecar).map((c) => c.name);
    const started = Date.now();
    const first = live.filter((c) => !sidecarNames.includes(c.name));
    await Promise.all(first.map((c) => this.killContainer(rec, specOf(c.name), c, graceSeconds, `Stopping container ${c.name}`, override)));
    for (const name of [...sidecarNames].reverse()) {
      for (const c of live.filter((x) => x.name === name)) {
        const left = Math.max(0, graceSeconds - Math.floor((Date.now() - started) / 1000));
        await this.killContainer(rec, specOf(name), c, left, `Stopping container ${name}`, override);
      }
    }
    for (const sb of state.sandboxes) if (sb.state === 'ready') await this.d.runtime.stopPodSandbox(sb.id);
    this.d.probes.removePod(rec.uid);
  }

  /** The pod completed or failed: stop what still runs (sidecars) and the sandbox. */
  private async finish(rec: PodRecord): Promise<void> {
    await this.killPod(rec, this.graceSeconds(rec.pod));
    rec.finished = true;
  }

  /** A pod with a deletionTimestamp: stop it, report the final status, and delete it for good. */
  private async terminate(rec: PodRecord): Promise<void> {
    if (rec.finalDeleteSent) return;
    const pod = rec.pod;
    const grace = pod.metadata.deletionGracePeriodSeconds ?? this.graceSeconds(pod);
    if (!rec.finished) {
      await this.killPod(rec, grace);
      rec.finished = true;
    }
    const state = await readPodState(this.d.runtime, rec.uid);
    await this.readTerminationMessages(rec, state);
    await this.writeStatus(rec, state, true);
    await this.d.volumes.tearDown(rec.uid);
    try {
      await this.d.client.delete(resources.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: rec.uid } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
    rec.finalDeleteSent = true;
  }

  /** The pod is gone from the API server: remove whatever is left of it on the node. */
  private async cleanup(uid: string, rec: PodRecord | undefined): Promise<void> {
    const state = await readPodState(this.d.runtime, uid);
    if (rec && !rec.finished) await this.killPod(rec, MIN_GRACE_SECONDS);
    for (const list of state.containers.values()) {
      for (const c of list) {
        if (c.state === 'running') await this.d.runtime.stopContainer(c.id, 0);
        await this.d.runtime.removeContainer(c.id);
      }
    }
    for (const sb of state.sandboxes) {
      await this.d.runtime.stopPodSandbox(sb.id);
      await this.d.runtime.removePodSandbox(sb.id);
    }
    await this.d.volumes.tearDown(uid);
    if (rec) await this.d.podCgroups?.remove(rec.pod);
    else await this.d.podCgroups?.removeByUID(uid);
    const labels = state.sandboxes[0]?.labels ?? {};
    const ident: Pod | undefined = rec?.pod ?? (labels[LABEL_POD_NAME] ? { metadata: { name: labels[LABEL_POD_NAME], namespace: labels[LABEL_POD_NAMESPACE], uid } } : undefined);
    if (ident) await rm(podLogDirectory(this.d.logRoot, ident), { recursive: true, force: true });
    this.d.probes.removePod(uid);
    this.d.admitter?.forget(uid);
    this.d.releaseObjects(uid);
    this.d.crashLoop.resetPrefix(`${uid}/`);
    this.d.status.forget(uid);
    this.records.delete(uid);
    this.acted.delete(uid);
  }

  /** Runtime leftovers of pods this kubelet does not know (e.g. deleted while it was down). */
  async removeOrphans(known: Set<string>): Promise<void> {
    const sandboxes = await this.d.runtime.listPodSandboxes();
    const orphans = new Set(sandboxes.map((s) => s.labels?.[LABEL_POD_UID]).filter((u): u is string => !!u && !known.has(u) && !this.records.has(u)));
    for (const uid of orphans) {
      log('kubelet', 'removing the containers of a pod that is gone', { uid });
      await this.cleanup(uid, undefined);
    }
  }

  // ---- status ----

  private async writeStatus(rec: PodRecord, state: PodRuntimeState, podIsTerminal = false): Promise<void> {
    const pod = rec.pod;
    const status = generatePodStatus({
      pod, state, reasons: rec.reasons,
      ready: (id) => this.d.probes.result(id, 'readiness'),
      started: (id) => this.d.probes.started(id),
      messages: rec.messages,
      runtimeName: this.d.runtimeName,
      hostIP: this.d.hostIP(),
      podIP: state.sandbox || pod.spec?.hostNetwork ? this.podIP(pod, state) : pod.status?.podIP,
      startTime: pod.status?.startTime ?? wireTime(rec.firstSeen),
      podIsTerminal,
      failure: rec.failure,
    });
    const written = await this.d.status.setStatus(pod, status);
    if (written) rec.pod = written;
  }

  private async readTerminationMessages(rec: PodRecord, state: PodRuntimeState): Promise<void> {
    const specs = [...(rec.pod.spec?.initContainers ?? []), ...(rec.pod.spec?.containers ?? [])];
    for (const list of state.containers.values()) {
      for (const c of list) {
        if (c.state !== 'exited' || rec.messages.has(c.id)) continue;
        let msg = '';
        const file = c.labels?.[LABEL_TERMINATION_MESSAGE_FILE];
        if (file) {
          try {
            msg = (await readFile(file)).subarray(0, MAX_TERMINATION_MESSAGE).toString('utf8');
          } catch {
            msg = '';
          }
        }
        const spec = specs.find((s) => s.name === c.name);
        if (!msg && spec?.terminationMessagePolicy === 'FallbackToLogsOnError' && (c.exitCode ?? 0) !== 0) {
          const tail = Buffer.from(await readContainerLog(c.logPath, { tailLines: FALLBACK_LOG_LINES }));
          msg = tail.subarray(Math.max(0, tail.length - FALLBACK_LOG_BYTES)).toString('utf8');
        }
        rec.messages.set(c.id, msg || c.message || '');
      }
    }
  }

  /** Keeps the newest and the previous instance of each container (for logs --previous). */
  private async removeDeadContainers(state: PodRuntimeState): Promise<void> {
    for (const list of state.containers.values()) {
      for (const c of list.slice(2)) {
        if (c.state !== 'exited') continue;
        try {
          await this.d.runtime.removeContainer(c.id);
          if (c.logPath) await rm(c.logPath, { force: true });
        } catch (err) {
          rethrowIfCancelled(err);
          logError('kubelet', 'cannot remove a dead container', { id: c.id, err: errMessage(err) });
        }
      }
    }
  }

  // ---- helpers ----

  private deadlinePassed(rec: PodRecord): boolean {
    const secs = rec.pod.spec?.activeDeadlineSeconds;
    if (secs === undefined || secs === null) return false;
    const start = Date.parse(rec.pod.status?.startTime ?? '') || rec.firstSeen;
    const left = start + secs * 1000 - Date.now();
    if (left > 0) {
      this.d.requeue(rec.uid, left + 10);
      return false;
    }
    const message = 'Pod was active on the node longer than the specified deadline';
    this.d.recorder.event(podRef(rec.pod), 'Normal', Reasons.DeadlineExceeded, message);
    rec.failure = { reason: 'DeadlineExceeded', message };
    return true;
  }

  private graceSeconds(pod: Pod): number {
    const g = pod.spec?.terminationGracePeriodSeconds;
    return typeof g === 'number' && g >= 0 ? g : 30;
  }

  private sandboxConfig(pod: Pod, attempt: number): SandboxConfig {
    return sandboxConfig(pod, attempt, this.d.logRoot, this.d.dns);
  }

  /**
   * The sandbox's IP; a stopped sandbox has none, so the pod keeps the one it had. Host-network
   * pods, and every pod of a runtime without pod networks (host driver), use the node's.
   */
  private podIP(pod: Pod, state: PodRuntimeState): string | undefined {
    if (pod.spec?.hostNetwork) return this.d.hostIP();
    if (state.sandbox?.ip) return state.sandbox.ip;
    if (pod.status?.podIP) return pod.status.podIP;
    return this.d.runtime.isolated ? undefined : this.d.hostIP();
  }

  private podIPOf(rec: PodRecord): string {
    return rec.pod.status?.podIP ?? this.d.hostIP();
  }

  private addresses(pod: Pod, podIP: string) {
    return { podIPs: [podIP], hostIPs: [this.d.hostIP()] };
  }

  private projectionSources(rec: PodRecord) {
    return {
      configMap: (ns: string, name: string) => this.d.configMap(ns, name, rec.uid),
      secret: (ns: string, name: string) => this.d.secret(ns, name, rec.uid),
      addresses: this.addresses(rec.pod, this.podIPOf(rec)),
      allocatable: this.d.allocatable(),
    };
  }
}

function willRestart(policy: string, c: RuntimeContainer): boolean {
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return (c.exitCode ?? 0) !== 0;
  return false;
}

function runningContainers(pod: Pod, state: PodRuntimeState): RunningContainer[] {
  const out: RunningContainer[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []).filter(isSidecar), ...(pod.spec?.containers ?? [])]) {
    const cur = latest(state, c.name);
    if (cur?.state === 'running') out.push({ container: c, containerId: cur.id, startedAt: cur.startedAt ?? cur.createdAt });
  }
  return out;
}
