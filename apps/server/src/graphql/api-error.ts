import { PluginError, type PluginErrorCode, type PluginErrorDetails } from '@meshery/plugin-api';
import { GraphQLError } from 'graphql';

/** Error codes of the API: the plugin contract's, plus NOT_FOUND for unknown ids. */
export type ApiErrorCode = PluginErrorCode | 'NOT_FOUND' | 'UNAUTHENTICATED';

/** One problem with an input field. */
export interface InputProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * A GraphQL error with a stable code, the probable cause and the remedy in its extensions.
 */
export function apiError(
  code: ApiErrorCode,
  message: string,
  details: PluginErrorDetails & { readonly problems?: readonly InputProblem[] } = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code,
      ...(details.field ? { field: details.field } : {}),
      ...(details.probableCause ? { probableCause: details.probableCause } : {}),
      ...(details.remediation ? { remediation: details.remediation } : {}),
      ...(details.problems ? { problems: details.problems } : {}),
    },
  });
}

/** An INVALID_REQUEST error listing every problem found in an input. */
export function invalidInput(what: string, problems: readonly InputProblem[]): GraphQLError {
  const first = problems[0];
  return apiError(
    'INVALID_REQUEST',
    `Invalid ${what}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    {
      ...(first ? { field: first.field } : {}),
      problems,
      probableCause: 'One or more input fields are missing, malformed or out of range.',
      remediation: 'Correct the fields listed in "problems" and send the request again; nothing was stored or started.',
    },
  );
}

/** A NOT_FOUND error for an id. */
export function notFound(what: string, id: string): GraphQLError {
  return apiError('NOT_FOUND', `No ${what} with id "${id}"`, {
    field: 'id',
    probableCause: `The ${what} was deleted, or the id is mistyped.`,
    remediation: `List the ${what}s to find the right id.`,
  });
}

/** The GraphQL form of a plugin's error. */
export function fromPluginError(error: unknown): GraphQLError {
  const pluginError = PluginError.from(error);
  return apiError(pluginError.code, pluginError.message, pluginError);
}
