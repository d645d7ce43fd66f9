// Discovery and OpenAPI documents, rebuilt only when the served resources change (CRDs).
import { buildDiscovery, KUBERNETES_SUBRESOURCES, OPTIONAL_SUBRESOURCES, serveDiscovery, type Discovery } from './discovery.js';
import { buildOpenAPI, serveOpenAPI, type OpenAPI } from './openapi.js';
import type { ResourceTable } from './resource-table.js';

export interface DocumentReply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export class Documents {
  private generation = -1;
  private discovery?: Discovery;
  private openapi?: OpenAPI;

  /** `served` names the subresources with handlers (`pods/log` ...): only those are advertised. */
  constructor(private readonly table: ResourceTable, private readonly served: () => Iterable<string>) {}

  private servedCount = -1;

  private refresh(): void {
    const servedCount = [...this.served()].length;
    if (this.generation === this.table.generation && this.servedCount === servedCount) return;
    this.generation = this.table.generation;
    this.servedCount = servedCount;
    const all = this.table.all();
    const served = new Set(this.served());
    const subresources = [...KUBERNETES_SUBRESOURCES, ...OPTIONAL_SUBRESOURCES].filter((s) => served.has(`${s.resource}/${s.subresource}`));
    this.discovery = buildDiscovery(all, subresources);
    this.openapi = buildOpenAPI(all, this.table.definitions, {}, this.openapi);
  }

  /** The reply for a discovery or OpenAPI path, or undefined for other paths. */
  serve(path: string, query: URLSearchParams, headers: { accept?: string; ifNoneMatch?: string }): DocumentReply | undefined {
    this.refresh();
    if (path.startsWith('/openapi/')) return serveOpenAPI(this.openapi!, path, query, headers);
    return serveDiscovery(this.discovery!, path, headers.accept, headers.ifNoneMatch);
  }
}
