import { useConnectionState } from '../api/connection.tsx';
import { Badge } from './components.tsx';

/**
 * Says whether a live view is receiving updates: "Live" while the socket is up, "Reconnecting…"
 * while the console waits for the server (the subscription is re-sent when it is back).
 */
export function LiveIndicator({ active = true }: { active?: boolean }) {
  const state = useConnectionState();
  if (!active) return null;
  if (state === 'reconnecting') {
    return (
      <Badge tone="warning" title="The connection to the server was lost; updates resume when it is back.">
        Reconnecting…
      </Badge>
    );
  }
  if (state === 'connecting') return <Badge>Connecting…</Badge>;
  return (
    <Badge tone="running" title="Updated as the server reports changes.">
      <span className="live-dot" aria-hidden="true" /> Live
    </Badge>
  );
}
