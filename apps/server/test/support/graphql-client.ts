import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** The answer to a GraphQL request. */
export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Sends one GraphQL query or mutation over HTTP. */
export async function gql<T = Record<string, any>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** Like {@link gql}, but fails the test on any GraphQL error. */
export async function gqlData<T = Record<string, any>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await gql<T>(baseUrl, query, variables);
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

/** A graphql-ws client for subscriptions. */
export function wsClient(baseUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    ...(connectionParams ? { connectionParams } : {}),
  });
}

/** Collects a subscription's events until it completes (or the timeout passes). */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown>, timeoutMs = 60_000): {
  events: T[];
  done: Promise<T[]>;
} {
  const events: T[] = [];
  const done = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`subscription did not complete within ${timeoutMs} ms; got ${events.length} events`));
    }, timeoutMs);
    const unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) {
            clearTimeout(timer);
            reject(new Error(JSON.stringify(value.errors)));
            return;
          }
          events.push(value.data as T);
        },
        error: (error) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: () => {
          clearTimeout(timer);
          resolve(events);
        },
      },
    );
  });
  return { events, done };
}
