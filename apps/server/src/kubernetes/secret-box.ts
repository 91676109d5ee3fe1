import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';

/**
 * Encrypts secrets at rest (cluster credentials) with AES-256-GCM. Text form:
 * `v1:<iv base64>:<tag base64>:<ciphertext base64>`.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /**
   * The key comes from MESHERY_SECRET_KEY (32 bytes as base64 or hex), or from `<dataDir>/secret.key`,
   * created with mode 0600 on first start.
   */
  static fromEnvironment(secretKey: string | undefined, dataDir: string): SecretBox {
    if (secretKey) return new SecretBox(parseKey(secretKey, 'MESHERY_SECRET_KEY'));
    const file = path.join(dataDir, 'secret.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    }
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new Error(`${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
    }
    return new SecretBox(parseKey(readFileSync(file, 'utf8').trim(), file));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('not a sealed secret of this server');
    const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('the stored credentials cannot be decrypted with this key (was MESHERY_SECRET_KEY or secret.key changed?)');
    }
  }
}

function parseKey(text: string, source: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new Error(`${source} must be 32 random bytes as base64 or hex (e.g. from: openssl rand -base64 32)`);
  }
  return key;
}
