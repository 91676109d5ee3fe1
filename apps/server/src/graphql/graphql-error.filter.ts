import { PluginError } from '@meshery/plugin-api';
import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlContextType, GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { fromPluginError } from './api-error.js';

/**
 * Errors made for the user (bad input, unknown ids) go back to the client as they are, without
 * being logged as server failures; a plugin's error that reaches a resolver goes back with its
 * code, probable cause and remedy rather than as an internal server error.
 */
@Catch(GraphQLError, PluginError)
export class GraphQLErrorFilter extends BaseExceptionFilter implements GqlExceptionFilter {
  override catch(error: GraphQLError | PluginError, host: ArgumentsHost): GraphQLError | void {
    if (host.getType<GqlContextType>() !== 'graphql') {
      super.catch(error, host);
      return;
    }
    return error instanceof PluginError ? fromPluginError(error) : error;
  }
}
