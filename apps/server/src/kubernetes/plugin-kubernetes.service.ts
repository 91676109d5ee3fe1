import { EngineKubernetesService } from '@meshery/kube-engine';
import { Injectable } from '@nestjs/common';
import { ClusterConnectionsService } from './cluster-connections.service.js';
import { KubernetesService } from './kubernetes.service.js';

/** The host's Kubernetes engine as plugins see it through `PluginTokens.kubernetes`. */
@Injectable()
export class PluginKubernetesService extends EngineKubernetesService {
  constructor(connections: ClusterConnectionsService, kubernetes: KubernetesService) {
    super((contextId) => connections.client(contextId), kubernetes.inventoryStore);
  }
}
