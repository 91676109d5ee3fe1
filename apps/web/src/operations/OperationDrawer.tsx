import { useQuery } from '@apollo/client/react';
import { OPERATION } from '../api/documents.ts';
import type { Operation } from '../api/types.ts';
import { Button, ButtonLink, Dialog } from '../ui/components.tsx';
import { OperationView } from './OperationView.tsx';

function DrawerTitle({ id }: { id: string }) {
  const { data } = useQuery(OPERATION, { variables: { id }, fetchPolicy: 'cache-first' });
  return <>{data?.operation.summary ?? 'Operation'}</>;
}

/** The live log of an operation in a drawer over the page that started it. */
export function OperationDrawer({
  id,
  onClose,
  onEnded,
}: {
  id: string | null;
  onClose: () => void;
  onEnded?: (operation: Pick<Operation, 'id' | 'status'>) => void;
}) {
  return (
    <Dialog
      open={id !== null}
      onClose={onClose}
      variant="drawer"
      title={id ? <DrawerTitle id={id} /> : 'Operation'}
      description="Events appear as they happen; closing this does not stop the operation."
      footer={
        id ? (
          <>
            <ButtonLink to={`/operations/${id}`} variant="ghost">
              Open on its own page
            </ButtonLink>
            <Button onClick={onClose} data-autofocus>
              Close
            </Button>
          </>
        ) : null
      }
    >
      {id ? <OperationView key={id} id={id} onEnded={onEnded} showSummary={false} /> : null}
    </Dialog>
  );
}
