import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Page } from '../../src-main/api/types.js';

const pageSize = 100;
const maxCachedPages = 40;
const fetchDelayMs = 60;

export interface PagedRows<T> {
  total: number | null;
  error: unknown;
  rowAt: (index: number) => T | undefined;
  /** Tells which rows are on screen; missing pages are fetched once scrolling settles. */
  showRange: (first: number, last: number) => void;
  reload: () => void;
  /** The store changed: the pages in view are fetched again and replaced when they arrive (no flash), the others dropped. */
  refresh: () => void;
}

/**
 * Rows of a long list fetched in pages of 100 on demand and cached (a bounded number
 * of pages, the ones farthest from view dropped first). `queryKey` identifies the
 * query: when it changes the cache is dropped and fetching starts again at the top.
 */
export function usePagedRows<T>(fetchPage: (offset: number, limit: number) => Promise<Page<T>>, queryKey: string): PagedRows<T> {
  const pages = useRef(new Map<number, T[]>());
  const inflight = useRef(new Set<number>());
  const generation = useRef(0);
  const range = useRef({ first: 0, last: pageSize - 1 });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const fetchRef = useRef(fetchPage);
  useLayoutEffect(() => {
    fetchRef.current = fetchPage;
  }, [fetchPage]);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [, setVersion] = useState(0);

  const evict = useCallback(() => {
    const centre = Math.floor(range.current.first / pageSize);
    while (pages.current.size > maxCachedPages) {
      let farthest = -1;
      for (const index of pages.current.keys()) {
        if (farthest < 0 || Math.abs(index - centre) > Math.abs(farthest - centre)) farthest = index;
      }
      pages.current.delete(farthest);
    }
  }, []);

  /** Fetches page `index` for the current generation; `quiet`: a failure keeps what is shown (a refresh). */
  const fetchPageAt = useCallback(
    (index: number, quiet: boolean) => {
      const gen = generation.current;
      inflight.current.add(index);
      fetchRef.current(index * pageSize, pageSize).then(
        (page) => {
          if (gen !== generation.current) return;
          inflight.current.delete(index);
          pages.current.set(index, page.rows);
          evict();
          setTotal(page.total);
          setError(null);
          setVersion((v) => v + 1);
        },
        (failure: unknown) => {
          if (gen !== generation.current) return;
          inflight.current.delete(index);
          if (!quiet) setError(failure);
        },
      );
    },
    [evict],
  );

  /** Page indexes of the rows in view. */
  const pagesInView = (): number[] => {
    const { first, last } = range.current;
    const out: number[] = [];
    for (let index = Math.floor(first / pageSize); index <= Math.floor(last / pageSize); index++) out.push(index);
    return out;
  };

  const fetchMissing = useCallback(() => {
    for (const index of pagesInView()) {
      if (!pages.current.has(index) && !inflight.current.has(index)) fetchPageAt(index, false);
    }
  }, [fetchPageAt]);

  const reload = useCallback(() => {
    generation.current++;
    pages.current.clear();
    inflight.current.clear();
    setTotal(null);
    setError(null);
    fetchMissing();
  }, [fetchMissing]);

  useEffect(() => {
    range.current = { first: 0, last: pageSize - 1 };
    reload();
    return () => clearTimeout(timer.current);
  }, [queryKey, reload]);

  const refresh = useCallback(() => {
    generation.current++;
    inflight.current.clear();
    const inView = pagesInView();
    for (const index of [...pages.current.keys()]) if (!inView.includes(index)) pages.current.delete(index);
    for (const index of inView) fetchPageAt(index, true);
  }, [fetchPageAt]);

  const showRange = useCallback(
    (first: number, last: number) => {
      range.current = { first, last };
      clearTimeout(timer.current);
      timer.current = setTimeout(fetchMissing, fetchDelayMs);
    },
    [fetchMissing],
  );

  const rowAt = useCallback((index: number) => pages.current.get(Math.floor(index / pageSize))?.[index % pageSize], []);

  return { total, error, rowAt, showRange, reload, refresh };
}
