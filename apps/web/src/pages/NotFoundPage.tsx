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
        Mesh pages arrive with the mesh API; until then the console covers clusters, performance and plugins.
      </EmptyState>
    </>
  );
}
