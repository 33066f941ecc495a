/**
 * Known PKCS#11 modules of the tokens used in Việt Nam (standards doc §5.2), per OS.
 * This is data: an administrator can add paths in `<dataDir>/signing/modules.json`
 * ({"paths": ["/opt/vendor/libx.so"]}) or with VANTHU_PKCS11_MODULES (path-list
 * separated by the OS delimiter) — no new release needed. Linux names for several
 * CAs are unverified [R] in the standards doc; they are listed so a hit is used.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface KnownModule {
  vendor: string;
  win32?: string[];
  linux?: string[];
  darwin?: string[];
}

export const knownModules: KnownModule[] = [
  { vendor: 'VGCA / SafeNet eToken', win32: ['eTPKCS11.dll'], linux: ['/usr/lib/libeTPkcs11.so', '/usr/lib64/libeTPkcs11.so'], darwin: ['/usr/local/lib/libeTPkcs11.dylib'] },
  { vendor: 'VGCA / Bit4id', win32: ['bit4xpki.dll'], linux: ['/usr/lib/libbit4xpki.so', '/usr/lib/bit4id/libbit4xpki.so'], darwin: ['/usr/local/lib/bit4id/libbit4xpki.dylib'] },
  { vendor: 'Feitian ePass2003', win32: ['eps2003csp11.dll', 'eps2003csp11v2.dll', 'ShuttleCsp11_3003.dll'], linux: ['/usr/lib/libeps2003csp11.so', '/usr/local/lib/libeps2003csp11.so'], darwin: ['/usr/local/lib/libeps2003csp11.dylib'] },
  { vendor: 'VNPT-CA', win32: ['vnpt-ca_csp11.dll', 'VNPT-CA_v34.dll', 'vnptca_p11_v6.dll', 'vnptca_p11_v7.dll', 'vnptca_p11_v8.dll', 'vnptca_p11_v9.dll', 'vnptca_p11_v10.dll', 'vnpt-ca_cl_v1.dll'], linux: ['/usr/lib/libvnpt-pkcs11.so'] },
  { vendor: 'Viettel-CA', win32: ['viettel-ca.dll', 'viettel-ca_v1.dll', 'viettel-ca_v2.dll', 'viettel-ca_v3.dll', 'viettel-ca_v4.dll', 'viettel-ca_v5.dll', 'viettel-ca_v6.dll'], linux: ['~/.uid/viettel-ca_v6.so', '/usr/lib/libviettel-ca_v2.so', '/usr/lib/libvsignspkcs11.so'] },
  { vendor: 'BKAV-CA', win32: ['BkavCA.dll', 'BkavCAv2S.dll', 'st3csp11.dll', 'C:\\Program Files (x86)\\Bkav Corporation\\BkavCA Token Manager\\st3csp11.dll'] },
  { vendor: 'FPT-CA', win32: ['fpt-ca.dll', 'fptca_v3.dll', 'fptca_v4.dll', 'fptca_v5.dll', 'fptca_v6.dll', 'SignatureP11.dll'] },
  { vendor: 'Nacencomm CA2 / NCCA', win32: ['CA2_csp11.dll', 'CA2_v34.dll', 'ncca_csp11_v1.dll', 'nca_v4.dll', 'nca_v5.dll', 'nca_v6.dll', 'nca_v7.dll', 'nca_v8.dll', 'nca_v9.dll'] },
  { vendor: 'Others', win32: ['gclib.dll', 'ngp11v211.dll', 'wdpkcs.dll', 'safe-ca.dll', 'newca_v4.dll', 'efy-ca_v1.dll', 'misaca_csp11_v2.dll', 'fca_v1.dll', 'IDPrimePKCS1164.dll'] },
  { vendor: 'OpenSC', win32: ['opensc-pkcs11.dll'], linux: ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/opensc-pkcs11.so'], darwin: ['/Library/OpenSC/lib/opensc-pkcs11.so'] },
];

function expand(p: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (p.startsWith('~/')) return path.join(env['HOME'] ?? env['USERPROFILE'] ?? '', p.slice(2));
  if (platform === 'win32' && !/[\\/]/.test(p)) return path.win32.join(env['SystemRoot'] ?? 'C:\\Windows', 'System32', p);
  return p;
}

export interface ModuleCandidate {
  path: string;
  vendor: string;
  source: 'known' | 'configured';
}

/** Configured paths (admin file, env) first, then the known ones; only files that exist. */
export function moduleCandidates(options: { dataDir?: string; extra?: string[]; platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv; exists?: (p: string) => boolean } = {}): ModuleCandidate[] {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const exists = options.exists ?? ((p: string) => fs.existsSync(p));
  const configured: string[] = [...(options.extra ?? [])];
  const fromEnv = env['VANTHU_PKCS11_MODULES'];
  if (fromEnv) configured.push(...fromEnv.split(path.delimiter).filter(Boolean));
  if (options.dataDir) {
    const file = path.join(options.dataDir, 'signing', 'modules.json');
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { paths?: unknown };
      if (Array.isArray(parsed.paths)) configured.push(...parsed.paths.filter((p): p is string => typeof p === 'string'));
    } catch {
      // no admin file: fine
    }
  }
  const out: ModuleCandidate[] = [];
  const seen = new Set<string>();
  const add = (p: string, vendor: string, source: ModuleCandidate['source']): void => {
    const full = expand(p, platform, env);
    if (seen.has(full) || !exists(full)) return;
    seen.add(full);
    out.push({ path: full, vendor, source });
  };
  for (const p of configured) add(p, 'configured', 'configured');
  for (const m of knownModules) for (const p of m[platform as 'win32' | 'linux' | 'darwin'] ?? []) add(p, m.vendor, 'known');
  return out;
}
