import type { PluginStore } from '@meshery/plugin-api';
import { serialiseStoreEntry } from '@meshery/plugin-host';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { SERVER_CONFIG, type ServerConfig } from '../config/server-config.js';
import { SecretBox } from '../kubernetes/secret-box.js';
import { PluginStateEntity } from './entities/plugin-state.entity.js';

/** Plugins' stores, kept in the database with every value encrypted by the server's key. */
@Injectable()
export class PluginStoreService {
  private readonly box: SecretBox;

  constructor(
    @Inject(SERVER_CONFIG) config: ServerConfig,
    @InjectRepository(PluginStateEntity) private readonly state: Repository<PluginStateEntity>,
  ) {
    this.box = SecretBox.fromEnvironment(config.secretKey, config.dataDir);
  }

  storeFor(pluginId: string): PluginStore {
    return {
      get: async <T>(key: string): Promise<T | undefined> => {
        const row = await this.state.findOneBy({ pluginId, key });
        return row ? (JSON.parse(this.box.decrypt(row.sealedValue)) as T) : undefined;
      },
      set: async (key: string, value: unknown): Promise<void> => {
        const text = serialiseStoreEntry(key, value);
        await this.state.save(this.state.create({ pluginId, key, sealedValue: this.box.encrypt(text), updatedAt: new Date().toISOString() }));
      },
      delete: async (key: string): Promise<void> => {
        await this.state.delete({ pluginId, key });
      },
      keys: async (prefix = ''): Promise<string[]> => {
        // Filtered and sorted here, not by the database, so neither LIKE escaping nor collation
        // differs between SQLite and PostgreSQL (a plugin's store holds few keys).
        const rows = await this.state.find({ select: { key: true }, where: { pluginId } });
        return rows.map((row) => row.key).filter((key) => key.startsWith(prefix)).sort();
      },
    };
  }
}
