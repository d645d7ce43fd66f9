// The client library: everything controllers, the scheduler and the kubelet need to talk to the
// API server, and nothing that reaches around it.
export * from './errors.js';
export * from './resources.js';
export * from './config.js';
export * from './rest.js';
export * from './rate-limiter.js';
export * from './backoff.js';
export * from './workqueue.js';
export * from './cache.js';
export * from './lister.js';
export * from './informer.js';
export * from './informer-factory.js';
export * from './leader-election.js';
export * from './events.js';
