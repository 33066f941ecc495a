/**
 * PNG → PDF image XObject with a soft mask, for the transparent signature and
 * seal images (NĐ 30: PNG with a transparent background). 8-bit, non-interlaced
 * PNGs (grey, RGB, palette, with alpha or tRNS) — what signature tools export.
 */
import zlib from 'node:zlib';
import { AppError } from '../api/errors.js';
import { PdfStream, dict, name, type PdfRef } from './pdf/objects.js';
import type { IncrementalUpdate } from './pdf/writer.js';

export interface DecodedPng {
  width: number;
  height: number;
  rgb: Buffer;
  alpha?: Buffer;
  /** pixels per metre, when the file says (for "real size" seals) */
  ppm?: number;
}

function bad(why: string): AppError {
  return new AppError('INVALID_INPUT', `Unsupported PNG: ${why}`, { reason: 'IMAGE_UNSUPPORTED' });
}

export function decodePng(data: Buffer): DecodedPng {
  if (!data.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))) throw bad('not a PNG');
  let at = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = 0;
  let interlace = 0;
  let palette: Buffer | undefined;
  let trns: Buffer | undefined;
  let ppm: number | undefined;
  const idat: Buffer[] = [];
  while (at + 8 <= data.length) {
    const len = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    const body = data.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8] ?? 0;
      colorType = body[9] ?? 0;
      interlace = body[12] ?? 0;
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') trns = body;
    else if (type === 'pHYs' && body[8] === 1) ppm = body.readUInt32BE(0);
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  if (depth !== 8) throw bad(`bit depth ${depth}`);
  if (interlace) throw bad('interlaced');
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (!channels) throw bad(`colour type ${colorType}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)] ?? 0;
    for (let x = 0; x < stride; x += 1) {
      const v = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (px[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (px[(y - 1) * stride + x] ?? 0) : 0;
      const ul = y > 0 && x >= channels ? (px[(y - 1) * stride + x - channels] ?? 0) : 0;
      let out = v;
      if (filter === 1) out = v + left;
      else if (filter === 2) out = v + up;
      else if (filter === 3) out = v + ((left + up) >> 1);
      else if (filter === 4) {
        const p = left + up - ul;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - ul);
        out = v + (pa <= pb && pa <= pc ? left : pb <= pc ? up : ul);
      }
      px[y * stride + x] = out & 0xff;
    }
  }
  const n = width * height;
  const rgb = Buffer.alloc(n * 3);
  let alpha: Buffer | undefined = colorType === 4 || colorType === 6 || trns ? Buffer.alloc(n, 255) : undefined;
  for (let i = 0; i < n; i += 1) {
    if (colorType === 0 || colorType === 4) {
      const g = px[i * channels] ?? 0;
      rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = g;
      if (colorType === 4 && alpha) alpha[i] = px[i * 2 + 1] ?? 255;
      else if (trns && alpha && trns.length >= 2 && g === trns.readUInt16BE(0)) alpha[i] = 0;
    } else if (colorType === 2 || colorType === 6) {
      rgb[i * 3] = px[i * channels] ?? 0;
      rgb[i * 3 + 1] = px[i * channels + 1] ?? 0;
      rgb[i * 3 + 2] = px[i * channels + 2] ?? 0;
      if (colorType === 6 && alpha) alpha[i] = px[i * 4 + 3] ?? 255;
    } else {
      const idx = px[i] ?? 0;
      if (!palette) throw bad('palette missing');
      rgb[i * 3] = palette[idx * 3] ?? 0;
      rgb[i * 3 + 1] = palette[idx * 3 + 1] ?? 0;
      rgb[i * 3 + 2] = palette[idx * 3 + 2] ?? 0;
      if (trns && alpha) alpha[i] = trns[idx] ?? 255;
    }
  }
  if (alpha && alpha.every((a) => a === 255)) alpha = undefined;
  return { width, height, rgb, alpha, ppm };
}

/** Adds the image (and its soft mask) to the update. */
export function embedPng(update: IncrementalUpdate, png: DecodedPng): PdfRef {
  const smask = png.alpha
    ? update.add(
        new PdfStream(
          dict({ Type: name('XObject'), Subtype: name('Image'), Width: png.width, Height: png.height, ColorSpace: name('DeviceGray'), BitsPerComponent: 8, Filter: name('FlateDecode') }),
          zlib.deflateSync(png.alpha),
        ),
      )
    : undefined;
  return update.add(
    new PdfStream(
      dict({ Type: name('XObject'), Subtype: name('Image'), Width: png.width, Height: png.height, ColorSpace: name('DeviceRGB'), BitsPerComponent: 8, Filter: name('FlateDecode'), SMask: smask }),
      zlib.deflateSync(png.rgb),
    ),
  );
}

/** Encodes RGBA pixels as a PNG (used for generated test images and previews). */
export function encodePng(width: number, height: number, rgba: Buffer, ppm?: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const x of b) c = (crcTable[(c ^ x) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, body: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), body])), 0);
    return Buffer.concat([head, body, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  const parts = [Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr)];
  if (ppm) {
    const phys = Buffer.alloc(9);
    phys.writeUInt32BE(ppm, 0);
    phys.writeUInt32BE(ppm, 4);
    phys[8] = 1;
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}
