import 'reflect-metadata';
import { PluginError } from '@meshery/plugin-api';
import type { ArgumentsHost } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GraphQLErrorFilter } from './graphql-error.filter.js';

const graphqlHost = { getType: () => 'graphql' } as unknown as ArgumentsHost;

describe('GraphQLErrorFilter', () => {
  it('turns a plugin’s error into a GraphQL error carrying its code, cause and remedy', () => {
    const answer = new GraphQLErrorFilter().catch(
      new PluginError('CLUSTER_UNREACHABLE', 'GET /version failed: ECONNREFUSED', { probableCause: 'The API server is down.', remediation: 'Start the cluster.' }),
      graphqlHost,
    );
    expect(answer).toBeInstanceOf(GraphQLError);
    expect(answer!.message).toBe('GET /version failed: ECONNREFUSED');
    expect(answer!.extensions).toMatchObject({ code: 'CLUSTER_UNREACHABLE', probableCause: 'The API server is down.', remediation: 'Start the cluster.' });
  });

  it('passes errors made for the user through unchanged', () => {
    const error = new GraphQLError('Invalid input', { extensions: { code: 'INVALID_REQUEST', field: 'url' } });
    expect(new GraphQLErrorFilter().catch(error, graphqlHost)).toBe(error);
  });
});
