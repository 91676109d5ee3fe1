import { useLocation } from 'react-router';
import { ButtonLink, EmptyState, PageHeader } from '../ui/components.tsx';

export function NotFoundPage() {
  const location = useLocation();
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState
        title={
          <>
            Nothing lives at <code>{location.pathname}</code>
          </>
        }
        action={<ButtonLink to="/">Go to the dashboard</ButtonLink>}
      >
        The console covers clusters, meshes, operations, performance and plugins; check the address, or start from the dashboard.
      </EmptyState>
    </>
  );
}
