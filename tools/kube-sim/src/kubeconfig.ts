/**
 * The kubeconfig kube-sim writes for itself. Note that kubectl (client-go) only sends credentials
 * over TLS: against a plain-HTTP kube-sim it sends no token, so use HTTPS or disable auth for kubectl.
 */
import { stringify } from 'yaml';

export interface KubeconfigParams {
  server: string;
  token?: string;
  caCert?: string;
  name?: string;
  namespace?: string;
}

export function buildKubeconfig(p: KubeconfigParams): string {
  const name = p.name ?? 'kube-sim';
  const cluster: Record<string, unknown> = { server: p.server };
  if (p.caCert) cluster['certificate-authority-data'] = Buffer.from(p.caCert, 'utf8').toString('base64');
  // @kubernetes/client-node refuses plain http:// servers unless TLS verification is explicitly off.
  else if (p.server.startsWith('http:')) cluster['insecure-skip-tls-verify'] = true;
  const user: Record<string, unknown> = p.token ? { token: p.token } : {};
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: p.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
