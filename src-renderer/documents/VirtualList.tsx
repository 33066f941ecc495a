import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** Must equal the height of `.vrow` in lists.css. */
const rowHeight = 40;
const overscan = 8;

interface Props {
  label: string;
  total: number;
  /** Extra class on every row, choosing the column template (e.g. "vrow--incoming"). */
  rowClass: string;
  header: ReactNode;
  renderRow: (index: number) => ReactNode;
  onRangeChange: (first: number, last: number) => void;
}

/**
 * A table of fixed-height rows that renders only the rows in view, between two
 * spacers. Spacer heights are set through CSSOM from refs (never a style attribute),
 * which the renderer's CSP allows.
 */
export function VirtualList({ label, total, rowClass, header, renderRow, onRangeChange }: Props) {
  const viewport = useRef<HTMLDivElement>(null);
  const before = useRef<HTMLDivElement>(null);
  const after = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState({ first: 0, last: 30 });

  const measure = useCallback(() => {
    const el = viewport.current;
    if (!el) return;
    const first = Math.max(0, Math.floor(el.scrollTop / rowHeight) - overscan);
    const last = Math.ceil((el.scrollTop + el.clientHeight) / rowHeight) + overscan;
    setRange((r) => (r.first === first && r.last === last ? r : { first, last }));
  }, []);

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(measure);
    };
    const observer = new ResizeObserver(onScroll);
    observer.observe(el);
    el.addEventListener('scroll', onScroll, { passive: true });
    measure();
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      el.removeEventListener('scroll', onScroll);
    };
  }, [measure]);

  const last = Math.min(range.last, total - 1);
  const first = Math.min(range.first, Math.max(0, last));

  useLayoutEffect(() => {
    if (before.current) before.current.style.height = `${first * rowHeight}px`;
    if (after.current) after.current.style.height = `${Math.max(0, total - last - 1) * rowHeight}px`;
  }, [first, last, total]);

  useEffect(() => {
    if (total > 0) onRangeChange(first, last);
  }, [first, last, total, onRangeChange]);

  const rows: ReactNode[] = [];
  for (let index = first; index <= last; index++) {
    rows.push(
      <div key={index} role="row" aria-rowindex={index + 2} className={`vrow ${rowClass}`}>
        {renderRow(index)}
      </div>,
    );
  }

  return (
    <div className="vlist" role="table" aria-label={label} aria-rowcount={total + 1}>
      <div role="rowgroup" className="vlist__head">
        <div role="row" aria-rowindex={1} className={`vrow vrow--head ${rowClass}`}>
          {header}
        </div>
      </div>
      <div ref={viewport} role="rowgroup" className="vlist__viewport" tabIndex={0} aria-label={label}>
        <div ref={before} aria-hidden="true" />
        {rows}
        <div ref={after} aria-hidden="true" />
      </div>
    </div>
  );
}
