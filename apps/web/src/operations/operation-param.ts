import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The operation shown in the drawer, kept in the URL (`?operation=<id>`) so that a reload or a
 * shared link opens it again. The page's other parameters (the cluster) are kept.
 */
export function useOperationParam(): { operationId: string | null; openOperation: (id: string) => void; closeOperation: () => void } {
  const [params, setParams] = useSearchParams();
  const operationId = params.get('operation');
  const openOperation = useCallback(
    (id: string) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set('operation', id);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const closeOperation = useCallback(
    () =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.delete('operation');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return { operationId, openOperation, closeOperation };
}
