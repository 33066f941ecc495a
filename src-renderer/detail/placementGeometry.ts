/**
 * The signature box of the sign dialog's preview, in PDF space: [x1 y1 x2 y2] in points,
 * origin bottom left, as `signing:sign` takes it. Moves are translations that keep the
 * box inside the page's visible area (pdf.js `page.view`); screen ↔ PDF conversions go
 * through the pdf.js viewport (rotation and crop box included).
 */
export type PdfRect = [number, number, number, number];

/** The part of a pdf.js PageViewport the preview uses. */
export interface ViewportLike {
  /** in CSS pixels */
  width: number;
  height: number;
  scale: number;
  convertToViewportRectangle(rect: number[]): number[];
  convertToPdfPoint(x: number, y: number): number[];
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** The rect with x1 < x2 and y1 < y2. */
export function normalize([a, b, c, d]: readonly number[]): PdfRect {
  const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = [a, b, c, d];
  return [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
}

/** The box moved (not resized) so it lies inside the page's view box; a box bigger than the page keeps to its left/bottom edge. */
export function clampRect(rect: readonly number[], view: readonly number[]): PdfRect {
  const [x1, y1, x2, y2] = normalize(rect);
  const [vx1, vy1, vx2, vy2] = normalize(view);
  const w = x2 - x1;
  const h = y2 - y1;
  const nx = Math.max(vx1, Math.min(x1, vx2 - w));
  const ny = Math.max(vy1, Math.min(y1, vy2 - h));
  return [round(nx), round(ny), round(nx + w), round(ny + h)];
}

/** The box moved by (dx, dy) points, kept inside the page. */
export function translateRect(rect: readonly number[], dx: number, dy: number, view: readonly number[]): PdfRect {
  const [x1, y1, x2, y2] = normalize(rect);
  return clampRect([x1 + dx, y1 + dy, x2 + dx, y2 + dy], view);
}

/** A move on screen (CSS pixels, y down) as a move in PDF points. */
export function screenDeltaToPdf(viewport: ViewportLike, dx: number, dy: number): [number, number] {
  const [ox = 0, oy = 0] = viewport.convertToPdfPoint(0, 0);
  const [px = 0, py = 0] = viewport.convertToPdfPoint(dx, dy);
  return [px - ox, py - oy];
}

/** Where the box sits on the rendered page, in CSS pixels from its top left corner. */
export function boxOnScreen(viewport: ViewportLike, rect: readonly number[]): { left: number; top: number; width: number; height: number } {
  const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = viewport.convertToViewportRectangle([...rect]);
  return { left: Math.min(x1, x2), top: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
}

/** Arrow keys: 2 pt per press, 10 pt with Shift, in the direction seen on screen. */
export function keyMove(key: string, shift: boolean, viewport: ViewportLike): [number, number] | undefined {
  const px = (shift ? 10 : 2) * viewport.scale;
  const screen: Record<string, [number, number]> = { ArrowLeft: [-px, 0], ArrowRight: [px, 0], ArrowUp: [0, -px], ArrowDown: [0, px] };
  const d = screen[key];
  return d ? screenDeltaToPdf(viewport, d[0], d[1]) : undefined;
}

export function sameRect(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  return Boolean(a && b && a.length === b.length && a.every((v, i) => Math.abs(v - (b[i] ?? Number.NaN)) < 0.005));
}
