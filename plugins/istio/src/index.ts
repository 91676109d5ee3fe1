import 'reflect-metadata';
import { definePlugin } from '@meshery/plugin-api';
import { IstioMeshProvider } from './istio-mesh-provider.js';

export { IstioMeshProvider, istioDescriptor } from './istio-mesh-provider.js';
export { DEFAULT_ISTIO_VERSION, PINNED_ISTIO_VERSIONS, releaseArchive } from './istio-releases.js';

/** The mesh-istio plugin: one mesh provider, `istio`. */
export const plugin = definePlugin({
  pluginId: 'mesh-istio',
  register(registrar) {
    registrar.addMeshProvider(IstioMeshProvider);
  },
});

export default plugin;
