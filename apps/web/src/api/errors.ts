import { CombinedGraphQLErrors, CombinedProtocolErrors, ServerError, ServerParseError } from '@apollo/client';

/** One problem with an input field, as the API lists it in `extensions.problems`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** What the console shows about an error: the API's message, probable cause and remediation. */
export interface ErrorDetails {
  message: string;
  code?: string;
  field?: string;
  probableCause?: string;
  remediation?: string;
  problems: FieldProblem[];
  /** The server could not be reached at all (it may be restarting). */
  unreachable: boolean;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function fromExtensions(message: string, extensions: Record<string, unknown> | undefined): ErrorDetails {
  const problems = Array.isArray(extensions?.['problems'])
    ? (extensions['problems'] as unknown[]).filter(
        (p): p is FieldProblem => typeof p === 'object' && p !== null && typeof (p as FieldProblem).field === 'string',
      )
    : [];
  return {
    message,
    code: str(extensions?.['code']),
    field: str(extensions?.['field']),
    probableCause: str(extensions?.['probableCause']),
    remediation: str(extensions?.['remediation']),
    problems,
    unreachable: false,
  };
}

/** Turns whatever Apollo reports (GraphQL errors, HTTP errors, network failures) into details to show. */
export function errorDetails(error: unknown): ErrorDetails {
  if (CombinedGraphQLErrors.is(error)) {
    const [first, ...rest] = error.errors;
    if (!first) return { message: error.message, problems: [], unreachable: false };
    const details = fromExtensions(first.message, first.extensions as Record<string, unknown> | undefined);
    if (rest.length > 0) details.message += ` (and ${rest.length} more: ${rest.map((e) => e.message).join('; ')})`;
    return details;
  }
  if (CombinedProtocolErrors.is(error)) {
    return {
      message: error.errors.map((e) => e.message).join('; ') || error.message,
      probableCause: 'The live connection to the server was interrupted.',
      remediation: 'The console reconnects by itself; if the message stays, reload the page.',
      problems: [],
      unreachable: false,
    };
  }
  if (ServerError.is(error)) {
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(error.bodyText) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    const graphqlError = Array.isArray(body?.['errors']) ? (body['errors'] as { message?: string; extensions?: Record<string, unknown> }[])[0] : undefined;
    if (graphqlError?.message) return fromExtensions(graphqlError.message, graphqlError.extensions);
    if (typeof body?.['message'] === 'string') return fromExtensions(body['message'], body);
    const gateway = error.statusCode === 502 || error.statusCode === 503 || error.statusCode === 504;
    return {
      message: `The server answered HTTP ${error.statusCode}`,
      probableCause: gateway ? 'The Meshery server is not running or is restarting.' : undefined,
      remediation: gateway ? 'Start the server (npm start); the console retries when it is back.' : undefined,
      problems: [],
      unreachable: gateway,
    };
  }
  if (ServerParseError.is(error)) {
    return {
      message: 'The server sent an answer that is not GraphQL',
      probableCause: 'Something other than the Meshery server answered at /graphql (a proxy, or an old server).',
      remediation: 'Check that the console talks to a Meshery server of the same version.',
      problems: [],
      unreachable: false,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError || /failed to fetch|networkerror|load failed|socket/i.test(message)) {
    return {
      message: 'Cannot reach the Meshery server',
      probableCause: 'The server is stopped or restarting, or the network between the browser and the server is down.',
      remediation: 'Start the server (npm start). The console reconnects by itself and reloads this page’s data when it is back.',
      problems: [],
      unreachable: true,
    };
  }
  return { message, problems: [], unreachable: false };
}

/**
 * The problems of one form field: `field` matches the API's field path with any `input.`,
 * `spec.` or `filter.` prefix removed, and an index or sub-field (headers[0].name) counts for
 * its field.
 */
export function problemsFor(details: ErrorDetails | undefined, field: string): string[] {
  if (!details) return [];
  const fieldOf = (path: string) => path.replace(/^(input|spec|filter)\./, '').replace(/[[.].*$/, '');
  const all = details.problems.length > 0 ? details.problems : details.field ? [{ field: details.field, message: details.message }] : [];
  return all.filter((p) => fieldOf(p.field) === field).map((p) => p.message);
}
