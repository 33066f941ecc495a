/**
 * The SecretStore of the app: Electron's safeStorage (macOS Keychain, Windows DPAPI,
 * Linux libsecret/KWallet). On Linux, the `basic_text` backend encrypts with a key
 * hard-coded in Chromium — as good as plain text — so remembering is refused there, as
 * it is when no backend could be selected or encryption is not available. Call after
 * `app` is ready (before, safeStorage reports itself unavailable).
 */
import { safeStorage } from 'electron';
import type { SecretStore } from '../sync/secretStore.js';

export function safeStorageSecretStore(): SecretStore {
  const available: SecretStore['available'] = () => {
    // First: on Linux this also selects the backend that getSelectedStorageBackend reports.
    if (!safeStorage.isEncryptionAvailable()) return { ok: false, reason: 'OS encryption (safeStorage) is not available' };
    if (process.platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      if (backend === 'basic_text') return { ok: false, reason: 'No keyring: safeStorage would use its hard-coded basic_text key' };
      if (backend === 'unknown') return { ok: false, reason: 'No keyring backend was selected' };
    }
    return { ok: true };
  };
  return {
    available,
    encrypt(plain) {
      const check = available();
      if (!check.ok) throw new Error(`Cannot encrypt: ${check.reason}`);
      return safeStorage.encryptString(plain);
    },
    decrypt(blob) {
      const check = available();
      if (!check.ok) throw new Error(`Cannot decrypt: ${check.reason}`);
      return safeStorage.decryptString(blob);
    },
  };
}
