import { useQuery } from '@apollo/client/react';
import { useParams } from 'react-router';
import { OPERATION } from '../api/documents.ts';
import { OperationView } from '../operations/OperationView.tsx';
import { ButtonLink, Card, PageHeader } from '../ui/components.tsx';

export default function OperationPage() {
  const { id = '' } = useParams();
  const { data } = useQuery(OPERATION, { variables: { id }, fetchPolicy: 'cache-first' });
  const contextId = data?.operation.contextId;
  return (
    <>
      <PageHeader
        title="Operation"
        description="Every event of a long-running action, live while it runs. Cancelling stops it; what was done before stays, and running the action again converges."
        actions={
          contextId ? (
            <ButtonLink to={`/meshes?cluster=${encodeURIComponent(contextId)}`} variant="ghost">
              Meshes on this cluster
            </ButtonLink>
          ) : null
        }
      />
      <Card>
        <OperationView key={id} id={id} />
      </Card>
    </>
  );
}
