import { SubNav } from '../ui/components.tsx';

export function PerformanceNav() {
  return (
    <SubNav
      label="Performance"
      items={[
        { to: '/performance/profiles', label: 'Profiles' },
        { to: '/performance/results', label: 'Results' },
      ]}
    />
  );
}
