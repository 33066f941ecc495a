/**
 * Composition root of the main-process services: opens the store in a data
 * directory and implements every channel of the API contract. Used alike by the
 * Electron shell, the preview host and the CLI.
 */
import path from 'node:path';
import type { Handlers } from '../api/contract.js';
import { AppError } from '../api/errors.js';
import type { AppInfo } from '../api/types.js';
import { auditFor } from '../store/auditLog.js';
import { closeDatabase, openDatabase, type Db } from '../store/database.js';
import { FileStore } from '../store/fileStore.js';
import { updateIncoming } from '../documents/documentEdits.js';
import { loadDocument } from '../documents/documentRows.js';
import { findDuplicates, registerIncoming } from '../documents/incomingRegister.js';
import * as masterData from '../documents/masterData.js';
import { issueDocument, saveDraft } from '../documents/outgoingRegister.js';
import { listRegister } from '../documents/registers.js';
import { listDocuments, searchDocuments } from '../documents/search.js';
import type { SecretStore } from '../sync/secretStore.js';
import { createSigningHandlers, type SigningOptions } from './signingHandlers.js';
import { createSyncHandlers, type SyncController, type SyncHandlerOptions } from './syncHandlers.js';
import { appVersion } from './version.js';

export interface ServiceOptions {
  dataDir: string;
  host: AppInfo['host'];
  locale?: AppInfo['locale'];
  /** Token modules, worker, trust sources (signingHandlers.ts). */
  signing?: SigningOptions;
  /** Sync engine options (syncHandlers.ts); Electron sets autoStartMs. */
  sync?: SyncHandlerOptions;
  /** Encrypts a remembered sync password (Electron: safeStorage). Absent (preview, CLI): never remembered. */
  secrets?: SecretStore;
}

export interface AppServices {
  handlers: Handlers;
  db: Db;
  files: FileStore;
  dataDir: string;
  sync: SyncController;
  /** Stops the sync engine (a running round may finish, bounded) and the token worker, then closes the store. */
  shutdown(): Promise<void>;
  /** Closes at once: timers stopped, token worker told to exit, store closed. */
  close(): void;
}

export function openServices(options: ServiceOptions): AppServices {
  const dataDir = path.resolve(options.dataDir);
  const db = openDatabase(dataDir);
  const files = new FileStore(path.join(dataDir, 'files'));
  const signing = createSigningHandlers(db, files, dataDir, options.signing);
  const sync = createSyncHandlers(db, files, dataDir, { ...options.sync, secrets: options.secrets });
  const handlers: Handlers = { ...createHandlers(db, files, { ...options, dataDir }), ...signing.handlers, ...sync.handlers };
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    void sync.controller.close(0);
    void signing.close();
    closeDatabase(db, dataDir);
  };
  const shutdown = async (): Promise<void> => {
    if (closed) return;
    await sync.controller.close();
    await signing.close();
    close();
  };
  return { handlers, db, files, dataDir, sync: sync.controller, shutdown, close };
}

type CoreChannel = Exclude<keyof Handlers, keyof ReturnType<typeof createSigningHandlers>['handlers'] | keyof ReturnType<typeof createSyncHandlers>['handlers']>;

function createHandlers(db: Db, files: FileStore, options: ServiceOptions): Pick<Handlers, CoreChannel> {
  return {
    'app:info': () => ({
      version: appVersion,
      locale: options.locale ?? 'vi',
      setupDone: masterData.isSetupDone(db),
      dataDir: options.dataDir,
      host: options.host,
    }),
    'setup:complete': (input) => masterData.completeSetup(db, input),
    'masterData:get': () => masterData.readMasterData(db),
    'agency:update': (input) => masterData.updateAgency(db, input),
    'units:save': (input) => masterData.saveUnitAudited(db, input),
    'externalAgencies:save': (input) => masterData.saveExternalAgency(db, input),
    'documentTypes:save': (input) => masterData.saveDocumentType(db, input),
    'numbering:setScheme': (input) => masterData.setNumberingScheme(db, input.scheme),
    'incoming:findDuplicates': (input) => findDuplicates(db, input),
    'incoming:register': (input) => registerIncoming(db, files, input),
    'outgoing:saveDraft': (input) => saveDraft(db, files, input),
    'outgoing:issue': (input) => issueDocument(db, input),
    'documents:update': (input) => updateIncoming(db, input),
    'documents:list': (input) => listDocuments(db, input),
    'documents:get': (input) => {
      const record = loadDocument(db, input.id);
      if (!record) throw new AppError('NOT_FOUND', 'Document not found');
      const audit = auditFor(db, 'document', input.id).map((a) => ({
        id: a.id,
        at: a.at,
        actor: a.actor,
        action: a.action,
        summary: a.payload,
      }));
      return { ...record, audit };
    },
    'search:query': (input) => searchDocuments(db, input),
    'files:read': (input) => {
      const meta = db
        .prepare('SELECT f.sha256, f.size, f.mime, df.name FROM files f JOIN document_files df ON df.sha256 = f.sha256 WHERE f.sha256 = ? LIMIT 1')
        .get(input.sha256) as { sha256: string; size: number; mime: string; name: string } | undefined;
      if (!meta) throw new AppError('NOT_FOUND', 'File not found');
      return { ...meta, dataBase64: files.read(input.sha256).toString('base64') };
    },
    'registers:list': (input) => listRegister(db, input),
  };
}
