/** Log levels the host understands. */
export type HostLogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Where plugin log lines go on the host side. The server adapts it to its own logger; tests
 * collect lines in memory.
 */
export interface HostLogSink {
  log(
    level: HostLogLevel,
    message: string,
    fields: Readonly<Record<string, unknown>> & { pluginId: string; operationId?: string },
  ): void;
}
