import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Repository } from 'typeorm';
import { SERVER_CONFIG, type ServerConfig } from '../config/server-config.js';
import { apiError, invalidInput, notFound } from '../graphql/api-error.js';
import { ClusterConnectionEntity } from './entities/cluster-connection.entity.js';
import { KubeApiClient, KubeApiError } from '@meshery/kube-engine';
import { SecretBox } from './secret-box.js';

/** A context found in a kubeconfig, without its credentials. */
export interface KubeconfigContextInfo {
  readonly name: string;
  readonly cluster: string;
  readonly server: string;
  readonly user: string;
  readonly namespace?: string;
  readonly source: string;
  readonly current: boolean;
}

/** What `clusterInfo` reports. */
export interface ClusterInfo {
  readonly reachable: boolean;
  readonly serverVersion?: string;
  readonly platform?: string;
  readonly nodeCount?: number;
  readonly error?: { code: string; message: string; probableCause: string; remediation: string };
}

const MAX_KUBECONFIG_BYTES = 1024 * 1024;

function readMaybe(file: string | undefined): string | undefined {
  if (!file) return undefined;
  return readFileSync(file).toString('base64');
}

/** Cluster connections: kubeconfig contexts, stored with their credentials encrypted. */
@Injectable()
export class ClusterConnectionsService {
  private readonly box: SecretBox;

  constructor(
    @InjectRepository(ClusterConnectionEntity) private readonly connections: Repository<ClusterConnectionEntity>,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {
    this.box = SecretBox.fromEnvironment(config.secretKey, config.dataDir);
  }

  /** The kubeconfig files the server finds: KUBECONFIG (a path list), else ~/.kube/config. */
  kubeconfigFiles(): string[] {
    const fromEnv = (this.config.kubeconfigEnv ?? '').split(path.delimiter).filter((f) => f.length > 0);
    const candidates = fromEnv.length > 0 ? fromEnv : [path.join(os.homedir(), '.kube', 'config')];
    return candidates.filter((file) => existsSync(file));
  }

  discoveredContexts(): KubeconfigContextInfo[] {
    return this.kubeconfigFiles().flatMap((file) => {
      const kc = new KubeConfig();
      try {
        kc.loadFromFile(file);
      } catch {
        return [];
      }
      return kc.getContexts().map((context) => this.describe(kc, context, file));
    });
  }

  list(): Promise<ClusterConnectionEntity[]> {
    return this.connections.find({ order: { name: 'ASC' } });
  }

  async get(id: string): Promise<ClusterConnectionEntity> {
    const connection = await this.connections.findOneBy({ id });
    if (!connection) throw notFound('cluster connection', id);
    return connection;
  }

  /** Adds a connection from an uploaded kubeconfig, or from one the server found. */
  async add(input: { kubeconfig?: string | null; context?: string | null; name?: string | null }): Promise<ClusterConnectionEntity> {
    const kc = new KubeConfig();
    let source: string;
    if (input.kubeconfig) {
      if (Buffer.byteLength(input.kubeconfig) > MAX_KUBECONFIG_BYTES) {
        throw invalidInput('cluster connection', [{ field: 'kubeconfig', message: 'is larger than 1 MiB; upload just the kubeconfig' }]);
      }
      try {
        kc.loadFromString(input.kubeconfig);
      } catch (error) {
        throw invalidInput('cluster connection', [{ field: 'kubeconfig', message: `is not a kubeconfig: ${(error as Error).message.split('\n')[0]}` }]);
      }
      source = 'upload';
    } else {
      const files = this.kubeconfigFiles();
      const file = files.find((f) => {
        const probe = new KubeConfig();
        try {
          probe.loadFromFile(f);
        } catch {
          return false;
        }
        return input.context ? probe.getContexts().some((c) => c.name === input.context) : true;
      });
      if (!file) {
        throw apiError('PRECONDITION_FAILED', input.context ? `No kubeconfig found with context "${input.context}"` : 'No kubeconfig found', {
          field: input.context ? 'context' : 'kubeconfig',
          probableCause: `The server looked in ${this.config.kubeconfigEnv ? `KUBECONFIG (${this.config.kubeconfigEnv})` : '~/.kube/config'}.`,
          remediation: 'Upload a kubeconfig, or set KUBECONFIG for the server; discoveredKubeconfigContexts lists what it finds.',
        });
      }
      kc.loadFromFile(file);
      source = file;
    }
    const contexts = kc.getContexts();
    const contextName = input.context ?? kc.getCurrentContext();
    const context = contexts.find((c) => c.name === contextName);
    if (!context) {
      throw invalidInput('cluster connection', [
        { field: 'context', message: `no context "${contextName ?? ''}" in the kubeconfig; it has: ${contexts.map((c) => c.name).join(', ') || 'none'}` },
      ]);
    }
    const cluster = kc.getCluster(context.cluster);
    const user = kc.getUser(context.user);
    if (!cluster) throw invalidInput('cluster connection', [{ field: 'kubeconfig', message: `context "${context.name}" names cluster "${context.cluster}", which the kubeconfig does not define` }]);
    const name = (input.name ?? context.name).trim();
    if (!name || name.length > 200) throw invalidInput('cluster connection', [{ field: 'name', message: 'give a name of 1 to 200 characters' }]);
    if (await this.connections.existsBy({ name })) {
      throw invalidInput('cluster connection', [{ field: 'name', message: `a connection named "${name}" exists; give another name or remove it first` }]);
    }
    let sealed: string;
    try {
      sealed = this.box.encrypt(this.standalone(context, cluster, user));
    } catch (error) {
      throw invalidInput('cluster connection', [{ field: 'kubeconfig', message: `its files cannot be read: ${(error as Error).message}` }]);
    }
    const entity = this.connections.create({
      id: randomUUID(),
      name,
      contextName: context.name,
      clusterName: cluster.name,
      server: cluster.server,
      defaultNamespace: context.namespace ?? null,
      source,
      sealedKubeconfig: sealed,
      createdAt: new Date().toISOString(),
    });
    await this.connections.insert(entity);
    return entity;
  }

  async remove(id: string): Promise<boolean> {
    const { affected } = await this.connections.delete({ id });
    if (!affected) throw notFound('cluster connection', id);
    return true;
  }

  async client(id: string): Promise<KubeApiClient> {
    const connection = await this.get(id);
    const kc = new KubeConfig();
    kc.loadFromString(this.box.decrypt(connection.sealedKubeconfig));
    return KubeApiClient.fromKubeConfig(kc);
  }

  async info(id: string): Promise<ClusterInfo> {
    const connection = await this.get(id);
    const kc = new KubeConfig();
    kc.loadFromString(this.box.decrypt(connection.sealedKubeconfig));
    const client = KubeApiClient.fromKubeConfig(kc, { retry: { attempts: 2, baseDelayMs: 200, maxDelayMs: 500, maxRetryAfterMs: 2000 } });
    try {
      const version = await client.request<{ gitVersion?: string; platform?: string }>('GET', '/version', { timeoutMs: 5000 });
      const nodes = await client.request<{ items?: unknown[] }>('GET', '/api/v1/nodes', { timeoutMs: 5000 });
      return {
        reachable: true,
        ...(version.gitVersion ? { serverVersion: version.gitVersion } : {}),
        ...(version.platform ? { platform: version.platform } : {}),
        nodeCount: nodes.items?.length ?? 0,
      };
    } catch (error) {
      const status = error instanceof KubeApiError ? error.status : undefined;
      return {
        reachable: false,
        error:
          status === 401 || status === 403
            ? {
                code: 'PRECONDITION_FAILED',
                message: `${connection.server} refused the credentials: ${(error as Error).message}`,
                probableCause: 'The token or certificate expired, or the user lacks permission to read nodes and version.',
                remediation: 'Upload a fresh kubeconfig for this context.',
              }
            : {
                code: 'CLUSTER_UNREACHABLE',
                message: `${connection.server} is not reachable: ${(error as Error).message}`,
                probableCause: 'The cluster is down, or the server cannot reach its API address (network, VPN, firewall).',
                remediation: `Check that "kubectl --context ${connection.contextName} version" works from the server's machine.`,
              },
      };
    }
  }

  private describe(kc: KubeConfig, context: Context, source: string): KubeconfigContextInfo {
    return {
      name: context.name,
      cluster: context.cluster,
      server: kc.getCluster(context.cluster)?.server ?? '',
      user: context.user,
      ...(context.namespace ? { namespace: context.namespace } : {}),
      source,
      current: kc.getCurrentContext() === context.name,
    };
  }

  /** A kubeconfig of just this context, with referenced certificate files inlined. */
  private standalone(context: Context, cluster: Cluster, user: User | null): string {
    const single = new KubeConfig();
    const caData = cluster.caData ?? readMaybe(cluster.caFile);
    single.loadFromOptions({
      clusters: [{ ...cluster, caFile: undefined, ...(caData ? { caData } : {}) }],
      users: user
        ? [{ ...user, certFile: undefined, keyFile: undefined, certData: user.certData ?? readMaybe(user.certFile), keyData: user.keyData ?? readMaybe(user.keyFile) }]
        : [],
      contexts: [context],
      currentContext: context.name,
    });
    return single.exportConfig();
  }
}
