import { lazy, Suspense, useEffect, useRef } from 'react';
import { NavLink, Navigate, Route, Routes, useLocation } from 'react-router';
import { useConnectionState } from './api/connection.tsx';
import { Alert, Loading } from './ui/components.tsx';
import { DashboardPage } from './pages/DashboardPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';

const ClustersPage = lazy(() => import('./pages/ClustersPage.tsx'));
const PluginsPage = lazy(() => import('./pages/PluginsPage.tsx'));
const ProfilesPage = lazy(() => import('./pages/ProfilesPage.tsx'));
const ProfileFormPage = lazy(() => import('./pages/ProfileFormPage.tsx'));
const ResultsPage = lazy(() => import('./pages/ResultsPage.tsx'));
const RunPage = lazy(() => import('./pages/RunPage.tsx'));
const ResultPage = lazy(() => import('./pages/ResultPage.tsx'));
const ComparePage = lazy(() => import('./pages/ComparePage.tsx'));
const MeshesPage = lazy(() => import('./pages/MeshesPage.tsx'));
const MeshPage = lazy(() => import('./pages/MeshPage.tsx'));
const OperationPage = lazy(() => import('./pages/OperationPage.tsx'));

const NAV = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/clusters', label: 'Clusters' },
  { to: '/meshes', label: 'Meshes' },
  { to: '/performance', label: 'Performance' },
  { to: '/plugins', label: 'Plugins' },
];

function ConnectionIndicator() {
  const state = useConnectionState();
  const text = state === 'connected' ? 'Connected' : state === 'reconnecting' ? 'Reconnecting…' : 'Connecting…';
  return (
    <span className={`connection connection-${state}`} data-testid="connection" data-state={state}>
      <span className="connection-dot" aria-hidden="true" />
      {text}
    </span>
  );
}

function ConnectionBanner() {
  const state = useConnectionState();
  if (state !== 'reconnecting') return null;
  return (
    <div className="banner">
      <Alert tone="warning" title="The connection to the Meshery server was lost">
        <p>
          The server may be restarting. The console reconnects by itself and reloads this page’s data when the server is back;
          live charts resume where the server’s data allows.
        </p>
      </Alert>
    </div>
  );
}

/** Moves focus to the page's heading after navigation, so keyboard and screen-reader users land on the new page. */
function useFocusOnNavigate(mainRef: React.RefObject<HTMLElement | null>) {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: false });
    }
  }, [location.pathname, mainRef]);
}

export function App() {
  const mainRef = useRef<HTMLElement>(null);
  useFocusOnNavigate(mainRef);
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <NavLink to="/" className="brand" aria-label="Meshery home">
          <img src="/favicon.svg" alt="" />
          Meshery
        </NavLink>
        <nav className="nav" aria-label="Main">
          {NAV.map((item) => (
            <NavLink key={item.to} to={item.to} end={item.end} className={({ isActive }) => (isActive ? 'active' : undefined)}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="sidebar-footer">
          <ConnectionIndicator />
        </div>
      </aside>
      <main className="main" id="main" ref={mainRef}>
        <ConnectionBanner />
        <Suspense fallback={<Loading label="Loading page…" />}>
          <Routes>
            <Route path="/" element={<DashboardPage />} />
            <Route path="/clusters" element={<ClustersPage />} />
            <Route path="/meshes" element={<MeshesPage />} />
            <Route path="/meshes/:mesh" element={<MeshPage />} />
            <Route path="/operations/:id" element={<OperationPage />} />
            <Route path="/plugins" element={<PluginsPage />} />
            <Route path="/performance" element={<Navigate to="/performance/profiles" replace />} />
            <Route path="/performance/profiles" element={<ProfilesPage />} />
            <Route path="/performance/profiles/new" element={<ProfileFormPage />} />
            <Route path="/performance/profiles/:id/edit" element={<ProfileFormPage />} />
            <Route path="/performance/results" element={<ResultsPage />} />
            <Route path="/performance/results/:id" element={<ResultPage />} />
            <Route path="/performance/runs/:id" element={<RunPage />} />
            <Route path="/performance/compare" element={<ComparePage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </main>
    </div>
  );
}
