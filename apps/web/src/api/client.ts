import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

/** Where the console stands with the server's WebSocket. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

type Listener = () => void;

/**
 * The state of the WebSocket to the server, as a tiny external store (useSyncExternalStore).
 * `reconnecting` means a connection was lost and the client is trying again.
 */
export class ConnectionStatus {
  private state: ConnectionState = 'connecting';
  private everConnected = false;
  private readonly listeners = new Set<Listener>();
  /** Times the connection was re-established after a loss. */
  reconnects = 0;

  get = (): ConnectionState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Returns true when this is a reconnection after a loss. */
  connected(): boolean {
    const again = this.everConnected && this.state !== 'connected';
    this.everConnected = true;
    if (again) this.reconnects += 1;
    this.set('connected');
    return again;
  }

  lost(): void {
    this.set(this.everConnected ? 'reconnecting' : 'connecting');
  }

  private set(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

/** Wait before the next reconnection attempt: quick at first, at most 3 s, with a little jitter. */
export function retryDelayMs(retries: number): number {
  return Math.min(250 * 2 ** retries, 3000) + Math.floor(Math.random() * 250);
}

export interface ConsoleClient {
  apollo: ApolloClient;
  ws: Client;
  status: ConnectionStatus;
}

/**
 * Apollo Client for the console: queries and mutations over HTTP, subscriptions over graphql-ws
 * on the same /graphql path. The socket is kept open (not lazy) and retried forever, so a server
 * restart is noticed at once; when it is back, active subscriptions are re-sent by graphql-ws and
 * the queries on screen are fetched again.
 */
export function createConsoleClient(origin: string = window.location.origin): ConsoleClient {
  const status = new ConnectionStatus();
  const wsUrl = `${origin.replace(/^http/, 'ws')}/graphql`;
  let apollo: ApolloClient | undefined;
  const ws = createClient({
    url: wsUrl,
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries))),
    on: {
      connected: () => {
        if (status.connected()) void apollo?.refetchObservableQueries();
      },
      closed: () => status.lost(),
      error: () => status.lost(),
    },
  });
  const http = new HttpLink({ uri: `${origin}/graphql` });
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(ws),
    http,
  );
  apollo = new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        ClusterInfo: { keyFields: ['contextId'] },
        // One status per cluster and mesh: the live subscription refreshes the lists that show it.
        MeshStatus: { keyFields: ['contextId', 'mesh'] },
        Mesh: { keyFields: ['mesh'] },
        OperationEvent: { keyFields: ['operationId', 'seq'] },
        OperationPage: { keyFields: false },
        PerformanceResultPage: { keyFields: false },
        PerformanceComparison: { keyFields: false },
      },
    }),
    defaultOptions: {
      watchQuery: { fetchPolicy: 'cache-and-network' },
    },
  });
  return { apollo, ws, status };
}
