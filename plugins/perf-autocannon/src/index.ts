import 'reflect-metadata';
import { definePlugin } from '@meshery/plugin-api';
import { AutocannonLoadGenerator } from './autocannon-load-generator.js';

export { AutocannonLoadGenerator } from './autocannon-load-generator.js';

/** The perf-autocannon plugin: one load generator, `autocannon`. */
export const plugin = definePlugin({
  pluginId: 'perf-autocannon',
  register(registrar) {
    registrar.addLoadGenerator(AutocannonLoadGenerator);
  },
});

export default plugin;
