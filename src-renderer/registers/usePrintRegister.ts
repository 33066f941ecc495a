import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { RegisterRow } from '../../src-main/api/contract.js';
import { api, call } from '../api/call.js';
import { listInput, printChunkRows, printWarnRows, type RegisterQuery } from './registerColumns.js';

export type PrintState =
  | { phase: 'idle' }
  /** More than printWarnRows rows: the clerk confirms, or chooses a date range. */
  | { phase: 'confirm'; total: number }
  | { phase: 'preparing'; loaded: number; total: number }
  /** Every row is in the print sheet and the print dialog was opened. */
  | { phase: 'printing' };

export interface PrintRegister {
  state: PrintState;
  /** The rows of the print sheet, one chunk per call to main. */
  chunks: RegisterRow[][];
  error: unknown;
  /** "In sổ": asks first when the register is long, else prepares and prints. */
  start: (total: number) => void;
  /** After the warning: print everything. */
  confirm: () => void;
  /** Stops preparing (or closes the warning) and drops the print sheet. */
  cancel: () => void;
}

/** Lets the renderer paint and handle input between two chunks. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Prints a whole register (or its date range) without freezing the UI: rows come from main
 * 500 at a time and each chunk is rendered into the hidden print sheet as its own <tbody>
 * before the next is asked for; once all are there, window.print() opens the print dialog.
 * The sheet is dropped after printing (afterprint) or when the query changes.
 */
export function usePrintRegister(query: RegisterQuery): PrintRegister {
  const [state, setState] = useState<PrintState>({ phase: 'idle' });
  const [chunks, setChunks] = useState<RegisterRow[][]>([]);
  const [error, setError] = useState<unknown>(null);
  const run = useRef(0);
  const queryRef = useRef(query);
  const key = JSON.stringify(query);

  const reset = useCallback(() => {
    run.current++;
    setChunks([]);
    setState({ phase: 'idle' });
  }, []);

  // A new query (`key` stands for its contents) drops the print sheet of the previous one.
  useEffect(() => {
    queryRef.current = JSON.parse(key) as RegisterQuery;
    reset();
  }, [key, reset]);

  useEffect(() => () => void run.current++, []);

  const prepare = useCallback(async (total: number) => {
    const mine = ++run.current;
    const q = queryRef.current;
    setError(null);
    setChunks([]);
    setState({ phase: 'preparing', loaded: 0, total });
    try {
      let loaded = 0;
      let expected = total;
      while (loaded < expected) {
        const page = await call(api().registers.list(listInput(q, loaded, printChunkRows)));
        if (mine !== run.current) return;
        expected = page.total; // registrations may happen meanwhile: print what is there now
        if (page.rows.length === 0) break;
        loaded += page.rows.length;
        flushSync(() => {
          setChunks((c) => [...c, page.rows]);
          setState({ phase: 'preparing', loaded, total: expected });
        });
        await nextTask();
        if (mine !== run.current) return;
      }
      if (loaded === 0) {
        setState({ phase: 'idle' });
        return;
      }
      flushSync(() => setState({ phase: 'printing' }));
      const done = () => {
        if (mine === run.current) reset();
      };
      window.addEventListener('afterprint', done, { once: true });
      window.print();
    } catch (failure) {
      if (mine !== run.current) return;
      setError(failure);
      setChunks([]);
      setState({ phase: 'idle' });
    }
  }, [reset]);

  const start = useCallback(
    (total: number) => {
      if (total > printWarnRows) setState({ phase: 'confirm', total });
      else void prepare(total);
    },
    [prepare],
  );

  const confirm = useCallback(() => {
    if (state.phase === 'confirm') void prepare(state.total);
  }, [state, prepare]);

  return { state, chunks, error, start, confirm, cancel: reset };
}
