/** A minimal GraphQL-over-HTTP client for setting up test data through the real API. */
export async function graphql<T>(serverUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${serverUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data as T;
}

/** Starts a run from a spec and returns its id. */
export async function startRun(
  serverUrl: string,
  input: { name: string; spec: Record<string, unknown>; labels?: { key: string; value: string }[] },
): Promise<string> {
  const data = await graphql<{ runPerformanceTest: { id: string } }>(
    serverUrl,
    'mutation($input: RunPerformanceTestInput!) { runPerformanceTest(input: $input) { id } }',
    { input },
  );
  return data.runPerformanceTest.id;
}

/** Polls a run until it is no longer running (bounded). */
export async function waitForRun(serverUrl: string, id: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const data = await graphql<{ performanceResult: { status: string } }>(serverUrl, 'query($id: ID!) { performanceResult(id: $id) { status } }', { id });
    if (data.performanceResult.status !== 'RUNNING') return data.performanceResult.status;
    if (Date.now() > deadline) throw new Error(`run ${id} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
