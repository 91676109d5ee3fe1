import { errorDetails } from '../api/errors.ts';
import { ErrorView, Loading } from './components.tsx';

/**
 * Loading and error states of a query. Without data: a loading indicator, or the error with a
 * retry button. With data that a refetch failed to refresh (the server went away): the error above
 * the data, which stays on screen.
 */
export function QueryState({
  loading,
  error,
  hasData,
  refetch,
  label,
}: {
  loading: boolean;
  error: unknown;
  hasData: boolean;
  refetch: () => unknown;
  label?: string;
}) {
  if (error) {
    return (
      <ErrorView
        details={errorDetails(error)}
        title={hasData ? 'Could not refresh this page; showing what was loaded before' : undefined}
        onRetry={() => void refetch()}
      />
    );
  }
  if (!hasData && loading) return <Loading label={label} />;
  return null;
}
