import { describe, expect, it } from 'vitest';
import { boxOnScreen, clampRect, keyMove, sameRect, screenDeltaToPdf, translateRect, type ViewportLike } from './placementGeometry.js';

/** An A4 page at half size, like pdf.js's viewport of an unrotated page (y grows downwards on screen). */
function viewport(scale = 0.5, view = [0, 0, 595, 842]): ViewportLike {
  const [, , w = 0, h = 0] = view;
  return {
    width: w * scale,
    height: h * scale,
    scale,
    convertToViewportRectangle: ([x1 = 0, y1 = 0, x2 = 0, y2 = 0]) => [x1 * scale, (h - y1) * scale, x2 * scale, (h - y2) * scale],
    convertToPdfPoint: (x, y) => [x / scale, h - y / scale],
  };
}
const page = [0, 0, 595, 842];

describe('signature box geometry', () => {
  it('arrow keys move by 2 pt, with Shift by 10 pt, in the direction seen on screen', () => {
    const v = viewport();
    const rect = [100, 200, 270, 277];
    const move = (key: string, shift = false) => {
      const d = keyMove(key, shift, v);
      if (!d) throw new Error('no move');
      return translateRect(rect, d[0], d[1], page);
    };
    expect(move('ArrowRight')).toEqual([102, 200, 272, 277]);
    expect(move('ArrowLeft', true)).toEqual([90, 200, 260, 277]);
    expect(move('ArrowUp')).toEqual([100, 202, 270, 279]); // up on screen is up in PDF space
    expect(move('ArrowDown', true)).toEqual([100, 190, 270, 267]);
    expect(keyMove('Enter', false, v)).toBeUndefined();
  });

  it('a drag on screen becomes a move in points; the box stays inside the page', () => {
    const v = viewport();
    const [dx, dy] = screenDeltaToPdf(v, 40, 30); // 40 px right, 30 px down at half size
    expect([dx, dy]).toEqual([80, -60]);
    expect(translateRect([100, 200, 270, 277], dx, dy, page)).toEqual([180, 140, 350, 217]);
    expect(translateRect([100, 200, 270, 277], 1000, -1000, page)).toEqual([425, 0, 595, 77]);
    expect(translateRect([100, 200, 270, 277], -1000, 1000, page)).toEqual([0, 765, 170, 842]);
    expect(clampRect([-10, -10, 650, 100], page)).toEqual([0, 0, 660, 110]); // bigger than the page: left/bottom edge
  });

  it('places the box on the rendered page from its top left corner', () => {
    expect(boxOnScreen(viewport(), [100, 200, 270, 277])).toEqual({ left: 50, top: 282.5, width: 85, height: 38.5 });
    expect(sameRect([1, 2, 3, 4], [1, 2, 3, 4.001])).toBe(true);
    expect(sameRect([1, 2, 3, 4], [1, 2, 3, 5])).toBe(false);
  });
});
