// events.k8s.io/v1: Events under their newer schema, stored as core v1 Events.
import type { ResourceDef } from '../../resource.js';
import * as event from './event.js';

export const definitions = { ...event.definitions };
export const resources: ResourceDef[] = [event.events];
