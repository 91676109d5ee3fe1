import { describe, expect, it } from 'vitest';
import { kubeconfigContexts } from './kubeconfig.ts';

describe('kubeconfigContexts', () => {
  it('lists contexts with their cluster, server and whether they are current', () => {
    const text = `
apiVersion: v1
kind: Config
current-context: b
clusters:
  - name: one
    cluster: { server: https://one.example:6443 }
contexts:
  - name: a
    context: { cluster: one, user: alice, namespace: demo }
  - name: b
    context: { cluster: two, user: bob }
users: []
`;
    expect(kubeconfigContexts(text)).toEqual([
      { name: 'a', cluster: 'one', user: 'alice', namespace: 'demo', server: 'https://one.example:6443', current: false },
      { name: 'b', cluster: 'two', user: 'bob', current: true },
    ]);
  });

  it('explains what is wrong with a file that is not a kubeconfig', () => {
    expect(() => kubeconfigContexts('a: [')).toThrow(/not valid YAML/);
    expect(() => kubeconfigContexts('42')).toThrow(/not a kubeconfig/);
    expect(() => kubeconfigContexts('apiVersion: v1\nkind: Config\n')).toThrow(/no contexts/);
  });
});
