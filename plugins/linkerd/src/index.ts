import 'reflect-metadata';
import { definePlugin } from '@meshery/plugin-api';
import { LinkerdMeshProvider } from './linkerd-mesh-provider.js';

export { LinkerdMeshProvider, linkerdDescriptor } from './linkerd-mesh-provider.js';
export { PINNED_LINKERD_VERSIONS, DEFAULT_LINKERD_VERSION, cliUrl } from './linkerd-versions.js';
export { SAMPLE_APPS } from './linkerd-sample-apps.js';

/** The mesh-linkerd plugin: one mesh provider, `linkerd`. */
export const plugin = definePlugin({
  pluginId: 'mesh-linkerd',
  register(registrar) {
    registrar.addMeshProvider(LinkerdMeshProvider);
  },
});

export default plugin;
