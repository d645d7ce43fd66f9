// The cri runtime driver: containerd supervised by the node agent, spoken to over CRI v1.
export { CriRuntime, type CriRuntimeOptions, type RuntimeCondition } from './cri-runtime.js';
export { startContainerd, listShims, type Containerd, type ContainerdOptions } from './containerd.js';
export { containerdLayout, type ContainerdLayout } from './containerd-config.js';
export { ensurePauseImage, PAUSE_IMAGE } from './pause-image.js';
export { parseRegistries, readRegistriesFile, RegistriesError, type Registries } from './registries.js';
export { CriError, isNotFound } from './grpc.js';
