import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { SignPlacement } from '../../src-main/api/contract.js';
import type { SignMode } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { base64ToBytes } from '../components/fileUpload.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { PDFDocumentProxy } from './pdfjs.js';
import { boxOnScreen, clampRect, keyMove, sameRect, screenDeltaToPdf, translateRect, type PdfRect, type ViewportLike } from './placementGeometry.js';

/** Width of the rendered page in CSS pixels (its height follows the page's proportions). */
const previewWidth = 400;

export interface ChosenPlacement {
  /** 1-based */
  page: number;
  rect: PdfRect;
}

interface Props {
  documentId: number;
  mode: SignMode;
  /** signer mode of a document naming no signer: the certificate's name is looked for */
  tokenSerial?: string;
  certId?: string;
  disabled?: boolean;
  /** the place to sign at, or null while it is not known (signing then uses the automatic place) */
  onChange: (placement: ChosenPlacement | null) => void;
}

interface Drag {
  pointerId: number;
  x: number;
  y: number;
  rect: PdfRect;
}

/**
 * The page the signature goes on (pdf.js) with the signature box over it at the place
 * `signing:placement` suggests. The box moves by drag (pointer events) or arrow keys
 * (2 pt, Shift 10 pt), stays inside the page, and goes back to the automatic place on
 * request. Positions are set through CSSOM from refs (the CSP allows no style attributes).
 */
export function SignPlacementPreview({ documentId, mode, tokenSerial, certId, disabled = false, onChange }: Props) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);
  const [suggested, setSuggested] = useState<SignPlacement | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [pdf, setPdf] = useState<{ sha256: string; doc: PDFDocumentProxy } | null>(null);
  const [pageNumber, setPageNumber] = useState(1);
  const [rect, setRect] = useState<PdfRect | null>(null);
  const [viewport, setViewport] = useState<{ page: number; viewport: ViewportLike; view: number[] } | null>(null);
  const [rendered, setRendered] = useState(false);
  const [dragging, setDragging] = useState(false);

  // The suggested place for this mode (and, for a signer without a name on the document, this certificate).
  useEffect(() => {
    let live = true;
    setSuggested(null);
    setFailure(null);
    setRect(null);
    call(api().signing.placement({ documentId, as: mode, ...(tokenSerial ? { tokenSerial } : {}), ...(certId ? { certId } : {}) })).then(
      (value) => {
        if (!live) return;
        setSuggested(value);
        setPageNumber(value.page);
        setRect(value.rect);
      },
      (error: unknown) => live && setFailure(errorMessage(error, t)),
    );
    return () => {
      live = false;
    };
  }, [documentId, mode, tokenSerial, certId, t]);

  // The PDF itself, opened once per file version.
  const sha256 = suggested?.sha256;
  useEffect(() => {
    if (!sha256 || pdf?.sha256 === sha256) return;
    let live = true;
    let opened: PDFDocumentProxy | null = null;
    (async () => {
      const [{ openPdf }, file] = await Promise.all([import('./pdfjs.js'), call(api().files.read({ sha256 }))]);
      opened = await openPdf(base64ToBytes(file.dataBase64));
      if (live) setPdf({ sha256, doc: opened });
      else void opened.destroy();
    })().catch(() => live && setFailure(t.pdfError));
    return () => {
      live = false;
    };
  }, [sha256, pdf?.sha256, t]);

  useEffect(() => () => void pdf?.doc.destroy(), [pdf]);

  // Render the chosen page; its viewport converts between screen and PDF points.
  useEffect(() => {
    const el = canvas.current;
    if (!pdf || !el) return;
    let task: ReturnType<Awaited<ReturnType<PDFDocumentProxy['getPage']>>['render']> | null = null;
    let live = true;
    setRendered(false);
    (async () => {
      const page = await pdf.doc.getPage(Math.min(pageNumber, pdf.doc.numPages));
      if (!live) return;
      const base = page.getViewport({ scale: 1 });
      const scale = previewWidth / base.width;
      const cssViewport = page.getViewport({ scale });
      const ratio = window.devicePixelRatio || 1;
      const pixels = page.getViewport({ scale: scale * ratio });
      el.width = Math.floor(pixels.width);
      el.height = Math.floor(pixels.height);
      el.style.width = `${cssViewport.width}px`; // CSSOM, allowed by the CSP
      el.style.height = `${cssViewport.height}px`;
      setViewport({ page: pageNumber, viewport: cssViewport, view: [...page.view] });
      task = page.render({ canvas: el, viewport: pixels });
      await task.promise;
      if (live) setRendered(true);
    })().catch((error: unknown) => {
      if (live && !(error instanceof Error && error.name === 'RenderingCancelledException')) setFailure(t.pdfError);
    });
    return () => {
      live = false;
      task?.cancel();
    };
  }, [pdf, pageNumber, t]);

  // A box from another page (or a page of another size) is kept inside this one.
  const view = viewport?.page === pageNumber ? viewport.view : undefined;
  useEffect(() => {
    if (view) setRect((r) => (r ? clampRect(r, view) : r));
  }, [view]);

  const ready = Boolean(rect && view && suggested);
  useEffect(() => {
    onChange(ready && rect ? { page: pageNumber, rect } : null);
  }, [ready, rect, pageNumber, onChange]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !rect || !viewport || viewport.page !== pageNumber) return;
    const at = boxOnScreen(viewport.viewport, rect);
    el.style.left = `${at.left}px`; // CSSOM, allowed by the CSP
    el.style.top = `${at.top}px`;
    el.style.width = `${at.width}px`;
    el.style.height = `${at.height}px`;
  }, [rect, viewport, pageNumber]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (disabled || !rect || e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    drag.current = { pointerId: e.pointerId, x: e.clientX, y: e.clientY, rect };
    setDragging(true);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId || !viewport || !view) return;
    const [dx, dy] = screenDeltaToPdf(viewport.viewport, e.clientX - d.x, e.clientY - d.y);
    setRect(translateRect(d.rect, dx, dy, view));
  };
  const endDrag = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointerId !== e.pointerId) return;
    drag.current = null;
    setDragging(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (disabled || !rect || !viewport || !view) return;
    const d = keyMove(e.key, e.shiftKey, viewport.viewport);
    if (!d) return;
    e.preventDefault();
    setRect(translateRect(rect, d[0], d[1], view));
  };

  const reset = useCallback(() => {
    if (!suggested) return;
    setPageNumber(suggested.page);
    setRect(suggested.rect);
    box.current?.focus();
  }, [suggested]);

  const pages = pdf?.doc.numPages ?? 0;
  const atSuggested = Boolean(suggested && suggested.page === pageNumber && sameRect(suggested.rect, rect ?? undefined));
  const x = rect ? Math.round(rect[0]) : 0;
  const y = rect ? Math.round(rect[1]) : 0;

  return (
    <section className="sign-preview" aria-labelledby="sign-preview-title">
      <h3 id="sign-preview-title">{t.signPlaceTitle}</h3>
      {failure && <p className="notice notice--warning">{t.signPlaceUnavailable(failure)}</p>}
      {!failure && !suggested && <p>{t.signPlaceLoading}</p>}
      {suggested && !suggested.auto && <p className="notice notice--warning">{mode === 'agency' ? t.signPlaceNotFoundSeal : mode === 'signer' ? t.signPlaceNotFoundSigner : t.signPlaceNotFound}</p>}
      {suggested && !failure && (
        <>
          <div className="sign-preview__toolbar">
            {pages > 1 && (
              <span className="sign-preview__pages">
                <label htmlFor="sign-preview-page">{t.signPlacePage}</label>{' '}
                <select id="sign-preview-page" value={pageNumber} disabled={disabled} onChange={(e) => setPageNumber(Number(e.target.value))}>
                  {Array.from({ length: pages }, (_, i) => (
                    <option key={i + 1} value={i + 1}>
                      {t.pdfPageOf(i + 1, pages)}
                    </option>
                  ))}
                </select>
              </span>
            )}
            <button type="button" onClick={reset} disabled={disabled || atSuggested}>
              {t.signPlaceReset}
            </button>
          </div>
          <p id="sign-preview-hint" className="field__hint">
            {t.signPlaceHint}
          </p>
        </>
      )}
      {/* the canvas stays mounted while the suggestion is reloaded (another mode): the page is not redrawn for nothing */}
      <div className="sign-preview__scroll" hidden={!pdf || !suggested || Boolean(failure)}>
        <div className="sign-preview__page">
          <canvas ref={canvas} role="img" aria-label={t.pdfPage(pageNumber)} data-rendered={rendered ? 'true' : 'false'} />
          {suggested && rect && viewport?.page === pageNumber && (
            <div
              ref={box}
              className={`sign-preview__box${dragging ? ' sign-preview__box--dragging' : ''}${disabled ? ' sign-preview__box--disabled' : ''}`}
              role="application"
              tabIndex={disabled ? -1 : 0}
              aria-roledescription={t.signPlaceBoxRole}
              aria-label={t.signPlaceBox(pageNumber, x, y)}
              aria-describedby="sign-preview-hint"
              aria-disabled={disabled || undefined}
              data-page={pageNumber}
              data-rect={rect.join(' ')}
              data-auto={atSuggested && suggested.auto ? 'true' : 'false'}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={endDrag}
              onPointerCancel={endDrag}
              onKeyDown={onKeyDown}
            >
              <span className="sign-preview__label">{t.signPlaceLabels[mode]}</span>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
