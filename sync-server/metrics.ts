/**
 * Counters for `GET /metrics`, rendered in the Prometheus text exposition format.
 */
export const refusalReasons = [
  'unauthorized',
  'forbidden',
  'bad-request',
  'malformed',
  'read-only',
  'client-id',
  'awareness-id',
  'rate-limit',
  'oversized',
  'handshake-timeout',
  'revoked',
  'expired',
  'storage',
  'origin',
  'host',
  'connection-limit',
  'unprocessable',
  'too-large',
  'too-many-clients',
  'pending',
  'presence-size',
] as const;
export type RefusalReason = (typeof refusalReasons)[number];

/** Upper bounds (seconds) of the persistence latency histogram. */
const persistBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export class Metrics {
  connections = 0;
  openDocuments = 0;
  documentsLoaded = 0;
  messagesTotal = 0;
  updatesTotal = 0;
  updateBytesTotal = 0;
  documentLoadsTotal = 0;
  documentUnloadsTotal = 0;
  /** Problems with the store known now (health.ts); 0 when healthy. */
  storeProblems = 0;
  /** Database / Redis reachable (health.ts); only the ones this server uses. */
  readonly dependencies = new Map<string, boolean>();
  private readonly refusals = new Map<RefusalReason, number>(refusalReasons.map((reason) => [reason, 0]));
  private readonly persistCounts = persistBuckets.map(() => 0);
  private persistCount = 0;
  private persistSum = 0;

  refuse(reason: RefusalReason): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
  }

  refusalCount(reason: RefusalReason): number {
    return this.refusals.get(reason) ?? 0;
  }

  observePersist(seconds: number): void {
    this.persistCount++;
    this.persistSum += seconds;
    persistBuckets.forEach((bound, index) => {
      if (seconds <= bound) this.persistCounts[index] = (this.persistCounts[index] ?? 0) + 1;
    });
  }

  render(): string {
    const memory = process.memoryUsage();
    const lines: string[] = [];
    const metric = (name: string, type: 'gauge' | 'counter', help: string, value: number) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    metric(
      'dossierlens_store_problems',
      'gauge',
      'Known problems with the store: damage, lost acknowledged writes, unreadable updates ' +
        '(0 = healthy; see /healthz).',
      this.storeProblems,
    );
    if (this.dependencies.size > 0) {
      lines.push(
        '# HELP dossierlens_dependency_up ' +
          'Whether a service the server depends on answered its last check (1) or not (0).',
      );
      lines.push('# TYPE dossierlens_dependency_up gauge');
      for (const [name, up] of this.dependencies)
        lines.push(`dossierlens_dependency_up{dependency="${name}"} ${up ? 1 : 0}`);
    }
    metric('dossierlens_connections', 'gauge', 'Open WebSocket connections.', this.connections);
    metric(
      'dossierlens_open_documents',
      'gauge',
      'Documents clients have open: one per per-document socket, any number per multiplexed one.',
      this.openDocuments,
    );
    metric('dossierlens_documents_loaded', 'gauge', 'Documents held in memory.', this.documentsLoaded);
    metric('dossierlens_document_loads_total', 'counter', 'Documents loaded from storage.', this.documentLoadsTotal);
    metric('dossierlens_document_unloads_total', 'counter', 'Idle documents unloaded.', this.documentUnloadsTotal);
    metric('dossierlens_messages_total', 'counter', 'Protocol messages received.', this.messagesTotal);
    metric('dossierlens_updates_total', 'counter', 'Document updates accepted and stored.', this.updatesTotal);
    metric('dossierlens_update_bytes_total', 'counter', 'Bytes of accepted document updates.', this.updateBytesTotal);
    lines.push('# HELP dossierlens_refusals_total Refused connections and messages, by reason.');
    lines.push('# TYPE dossierlens_refusals_total counter');
    for (const [reason, count] of this.refusals) lines.push(`dossierlens_refusals_total{reason="${reason}"} ${count}`);
    lines.push('# HELP dossierlens_persist_seconds Time to commit one update to storage.');
    lines.push('# TYPE dossierlens_persist_seconds histogram');
    persistBuckets.forEach((bound, index) => {
      lines.push(`dossierlens_persist_seconds_bucket{le="${bound}"} ${this.persistCounts[index] ?? 0}`);
    });
    lines.push(`dossierlens_persist_seconds_bucket{le="+Inf"} ${this.persistCount}`);
    lines.push(`dossierlens_persist_seconds_sum ${this.persistSum}`);
    lines.push(`dossierlens_persist_seconds_count ${this.persistCount}`);
    metric('process_resident_memory_bytes', 'gauge', 'Resident set size.', memory.rss);
    metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use.', memory.heapUsed);
    return lines.join('\n') + '\n';
  }
}
