/**
 * electron-builder configuration: `npm run dist`. Ships only the Electron app
 * (main, preload, renderer); the preview host, the server, benches and tests stay
 * out. The update feed URL comes from VANTHU_UPDATE_URL at build time.
 */
import type { Configuration } from 'electron-builder';

const updateUrl = process.env['VANTHU_UPDATE_URL'];

const config: Configuration = {
  appId: 'vn.gov.vanthu.desktop',
  productName: 'VanThu Desktop',
  copyright: 'VanThu Desktop',
  directories: { output: 'out', buildResources: 'build' },
  files: [
    'dist/main/**',
    'dist/preload/**',
    'dist/renderer/**',
    '!dist/main/src-main/preview/**',
    '!dist/main/src-server/**',
    '!dist/main/bench/**',
    '!dist/main/scripts/**',
    '!dist/main/test/**',
    '!**/*.{test,spec}.{js,mjs,cjs}',
    '!**/*.{test,spec}.{js,mjs,cjs}.map',
  ],
  asar: true,
  asarUnpack: ['**/*.node'],
  // better-sqlite3 is rebuilt against Electron's ABI.
  npmRebuild: true,
  nodeGypRebuild: false,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  },
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
  },
  nsis: {
    oneClick: false,
    perMachine: true,
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    installerLanguages: ['vi_VN'],
    language: '1066',
    multiLanguageInstaller: false,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: 'VanThu Desktop',
    artifactName: 'VanThu-Desktop-Setup-${version}.${ext}',
  },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ],
    category: 'Office',
    maintainer: 'VanThu Desktop',
    synopsis: 'Quản lý văn bản đến, văn bản đi',
    artifactName: 'VanThu-Desktop-${version}-${arch}.${ext}',
  },
  publish: updateUrl ? [{ provider: 'generic', url: updateUrl }] : null,
};

export default config;
