// What the node has, read from the host as cAdvisor would give it to the kubelet: CPUs, memory,
// the filesystem of the kubelet's root directory, NVIDIA GPUs, and the machine's identity.
import { execFile } from 'node:child_process';
import { readdir, readFile, statfs } from 'node:fs/promises';
import { arch, cpus, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpus: number;
  memoryBytes: number;
  gpus: number;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  architecture: string;
}

export interface FsStats {
  capacityBytes: number;
  availableBytes: number;
}

async function readTrimmed(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return '';
  }
}

/** Go's GOARCH spelling of Node's process.arch. */
export function goArch(a: string = arch()): string {
  return ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[a] ?? a;
}

async function osImage(): Promise<string> {
  const text = await readTrimmed('/etc/os-release');
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
  return m?.[1] ?? 'Linux';
}

/** GPUs in `nvidia-smi -L` output: one `GPU <n>: <model> (UUID: ...)` line each. */
export function gpusInSmiList(stdout: string): number {
  return stdout.split('\n').filter((l) => /^GPU \d+:/.test(l)).length;
}

/** GPU device files among /dev's names: nvidia0, nvidia1 ... (not nvidiactl, nvidia-uvm). */
export function gpuDeviceFiles(names: string[]): number {
  return names.filter((n) => /^nvidia\d+$/.test(n)).length;
}

/** NVIDIA GPUs: `nvidia-smi -L` lines, else /dev/nvidia<N> device files. */
export async function countGPUs(): Promise<number> {
  const fromSmi = await new Promise<number>((resolve) => {
    execFile('nvidia-smi', ['-L'], { timeout: 5000 }, (err, stdout) => resolve(err ? 0 : gpusInSmiList(String(stdout))));
  });
  if (fromSmi > 0) return fromSmi;
  try {
    return gpuDeviceFiles(await readdir('/dev'));
  } catch {
    return 0;
  }
}

export async function machineInfo(): Promise<MachineInfo> {
  const machineID = (await readTrimmed('/etc/machine-id')) || (await readTrimmed('/var/lib/dbus/machine-id'));
  const systemUUID = (await readTrimmed('/sys/class/dmi/id/product_uuid')) || machineID;
  return {
    cpus: cpus().length || 1,
    memoryBytes: totalmem(),
    gpus: await countGPUs(),
    machineID,
    systemUUID,
    bootID: await readTrimmed('/proc/sys/kernel/random/boot_id'),
    kernelVersion: release(),
    osImage: await osImage(),
    architecture: goArch(),
  };
}

/** Capacity and free space of the filesystem holding `dir`. */
export async function filesystemStats(dir: string): Promise<FsStats> {
  const s = await statfs(dir);
  return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize };
}

/** MemAvailable from /proc/meminfo, the memory the node can still hand out; undefined if unreadable. */
export async function memoryAvailableBytes(): Promise<number | undefined> {
  const text = await readTrimmed('/proc/meminfo');
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}
