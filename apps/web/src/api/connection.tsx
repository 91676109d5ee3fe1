import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ConnectionState, ConnectionStatus } from './client.ts';

const ConnectionContext = createContext<ConnectionStatus | null>(null);

export function ConnectionProvider({ status, children }: { status: ConnectionStatus; children: ReactNode }) {
  return <ConnectionContext.Provider value={status}>{children}</ConnectionContext.Provider>;
}

/** The state of the live connection to the server; re-renders when it changes. */
export function useConnectionState(): ConnectionState {
  const status = useContext(ConnectionContext);
  if (!status) throw new Error('useConnectionState outside ConnectionProvider');
  return useSyncExternalStore(status.subscribe, status.get, status.get);
}
