/** Generated test images: a blue handwritten-like signature and a red round seal (transparent PNGs). */
import { encodePng } from '../../src-main/signing/png.js';

export function signatureImage(width = 300, height = 120): Buffer {
  const px = Buffer.alloc(width * height * 4);
  const dot = (x: number, y: number): void => {
    for (let dy = -2; dy <= 2; dy += 1)
      for (let dx = -2; dx <= 2; dx += 1) {
        const xx = Math.round(x + dx);
        const yy = Math.round(y + dy);
        if (xx < 0 || yy < 0 || xx >= width || yy >= height || dx * dx + dy * dy > 5) continue;
        const i = (yy * width + xx) * 4;
        px[i] = 20;
        px[i + 1] = 40;
        px[i + 2] = 200;
        px[i + 3] = 255;
      }
  };
  for (let t = 0; t < 1; t += 0.0005) dot(20 + t * 260, height / 2 + Math.sin(t * 18) * 35 * (1 - t * 0.5));
  return encodePng(width, height, px);
}

/** A seal of the given diameter in mm at 300 dpi, with pHYs so it keeps its real size. */
export function sealImage(diameterMm = 36): Buffer {
  const dpi = 150;
  const size = Math.round((diameterMm / 25.4) * dpi);
  const px = Buffer.alloc(size * size * 4);
  const c = size / 2;
  for (let y = 0; y < size; y += 1)
    for (let x = 0; x < size; x += 1) {
      const r = Math.hypot(x - c, y - c);
      const ring = (r > c - 6 && r < c - 1) || (r > c * 0.62 && r < c * 0.66) || (r < c * 0.12);
      if (!ring) continue;
      const i = (y * size + x) * 4;
      px[i] = 220;
      px[i + 1] = 20;
      px[i + 2] = 30;
      px[i + 3] = 230;
    }
  return encodePng(size, size, px, Math.round(dpi / 0.0254));
}
