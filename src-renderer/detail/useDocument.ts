import { useCallback, useEffect, useState } from 'react';
import type { DocumentDetail } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';

export interface LoadedDocument {
  doc: DocumentDetail | null;
  error: unknown;
  reload: () => void;
}

/** One document with its audit history; `reload` fetches it again. */
export function useDocument(id: number): LoadedDocument {
  const [doc, setDoc] = useState<DocumentDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    call(api().documents.get({ id })).then(
      (value) => live && setDoc(value),
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [id, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { doc: doc?.id === id ? doc : null, error, reload };
}
