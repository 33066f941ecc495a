import { useCallback, useEffect, useState } from 'react';
import type { RegisterRow } from '../../src-main/api/contract.js';
import type { Page } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { listInput, type RegisterQuery } from './registerColumns.js';

/** Rows per screen page of a register (a register of 10,000 rows is 100 pages, fetched one at a time). */
export const screenPageRows = 100;

export interface RegisterPage {
  page: Page<RegisterRow> | null;
  loading: boolean;
  error: unknown;
  reload: () => void;
}

/** One screen page of a register from main; null query: nothing to ask (the choices are not valid). */
export function useRegisterPage(query: RegisterQuery | null, pageIndex: number): RegisterPage {
  const [page, setPage] = useState<Page<RegisterRow> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const key = query ? JSON.stringify(query) : null;

  useEffect(() => {
    if (key === null) {
      setPage(null);
      return;
    }
    let live = true;
    setLoading(true);
    setError(null);
    const q = JSON.parse(key) as RegisterQuery;
    call(api().registers.list(listInput(q, pageIndex * screenPageRows, screenPageRows))).then(
      (value) => {
        if (!live) return;
        setPage(value);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!live) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [key, pageIndex, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { page, loading, error, reload };
}
