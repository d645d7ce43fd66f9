// Discovery and OpenAPI documents, rebuilt only when the served resources change (CRDs).
import { buildDiscovery, serveDiscovery, type Discovery } from './discovery.js';
import { buildOpenAPI, serveOpenAPI, type OpenAPI } from './openapi.js';
import type { ResourceTable } from './resource-table.js';

export interface DocumentReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class Documents {
  private generation = -1;
  private discovery?: Discovery;
  private openapi?: OpenAPI;

  constructor(private readonly table: ResourceTable) {}

  private refresh(): void {
    if (this.generation === this.table.generation) return;
    this.generation = this.table.generation;
    const all = this.table.all();
    this.discovery = buildDiscovery(all);
    this.openapi = buildOpenAPI(all, this.table.definitions, {}, this.openapi);
  }

  /** The reply for a discovery or OpenAPI path, or undefined for other paths. */
  serve(path: string, query: URLSearchParams, headers: { accept?: string; ifNoneMatch?: string }): DocumentReply | undefined {
    this.refresh();
    if (path.startsWith('/openapi/')) return serveOpenAPI(this.openapi!, path, query, headers);
    return serveDiscovery(this.discovery!, path, headers.accept, headers.ifNoneMatch);
  }
}
