// The resources this server serves right now: the built-ins, plus custom resources that appear and
// disappear with their CRDs. Discovery and OpenAPI are recomputed from it when it changes.
import type { ResourceDef } from '../api/resource.js';
import type { Definitions, Schema } from '../machinery/schema.js';

const gvr = (group: string, version: string, plural: string) => `${group}/${version}/${plural}`;

export class ResourceTable {
  private byGVR = new Map<string, ResourceDef>();
  private listeners: Array<() => void> = [];
  /** Bumped on every change, so cached documents know when to rebuild. */
  generation = 0;

  constructor(resources: ResourceDef[], readonly definitions: Definitions) {
    for (const r of resources) this.byGVR.set(gvr(r.group, r.version, r.plural), r);
  }

  lookup(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.byGVR.get(gvr(group, version, plural));
  }

  /** Finds the version-independent resource by group and plural (first served version wins). */
  byGroupResource(group: string, plural: string): ResourceDef | undefined {
    for (const r of this.byGVR.values()) if (r.group === group && r.plural === plural) return r;
    return undefined;
  }

  byKind(apiVersion: string, kind: string): ResourceDef | undefined {
    for (const r of this.byGVR.values()) {
      const av = r.group ? `${r.group}/${r.version}` : r.version;
      if (av === apiVersion && r.kind === kind) return r;
    }
    return undefined;
  }

  all(): ResourceDef[] {
    return [...this.byGVR.values()];
  }

  schemaOf(def: ResourceDef): Schema | undefined {
    return this.definitions.get(def.schemaName);
  }

  /** Adds or replaces resources and their schemas (custom resources), then notifies. */
  put(defs: ResourceDef[], schemas: Record<string, Schema> = {}): void {
    for (const [k, v] of Object.entries(schemas)) this.definitions.set(k, v);
    for (const r of defs) this.byGVR.set(gvr(r.group, r.version, r.plural), r);
    this.changed();
  }

  remove(match: (r: ResourceDef) => boolean): void {
    for (const [k, r] of this.byGVR) {
      if (match(r)) {
        this.byGVR.delete(k);
        this.definitions.delete(r.schemaName);
      }
    }
    this.changed();
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    this.generation++;
    for (const fn of this.listeners) fn();
  }
}
