/**
 * TrueType font for signature appearances: Vietnamese text needs a real font
 * (the standard 14 fonts are Latin-1 only). The font is embedded as a CIDFontType2
 * with Identity-H encoding and a ToUnicode map, subset by keeping only the used
 * glyphs' outlines (glyph ids unchanged), so an appearance costs a few KB.
 * Default: Liberation Serif — metric-compatible with Times New Roman (NĐ 30).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { AppError } from '../api/errors.js';
import { PdfStream, PdfString, dict, name, type PdfRef } from './pdf/objects.js';
import type { IncrementalUpdate } from './pdf/writer.js';

/** Fallbacks for letters the main font lacks (Liberation Serif has no precomposed Vietnamese). */
export const fallbackFontPaths = {
  regular: ['/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf', '/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf', 'C:\\Windows\\Fonts\\arial.ttf'],
  bold: ['/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf', '/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf', 'C:\\Windows\\Fonts\\arialbd.ttf'],
};

export const defaultFontPaths = {
  regular: ['/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf', 'C:\\Windows\\Fonts\\times.ttf', '/Library/Fonts/Times New Roman.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf'],
  bold: ['/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf', 'C:\\Windows\\Fonts\\timesbd.ttf', '/Library/Fonts/Times New Roman Bold.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf'],
};

export function findFont(kind: keyof typeof defaultFontPaths = 'regular'): string {
  const found = defaultFontPaths[kind].find((p) => fs.existsSync(p));
  if (!found) throw new AppError('SETUP_REQUIRED', 'No Times New Roman compatible font found', { reason: 'FONT_MISSING' });
  return found;
}

interface Table {
  offset: number;
  length: number;
}

export class TrueTypeFont {
  private readonly tables = new Map<string, Table>();
  readonly unitsPerEm: number;
  readonly numGlyphs: number;
  private readonly advances: number[] = [];
  private readonly cmap = new Map<number, number>();
  readonly ascent: number;
  readonly descent: number;
  readonly capHeight: number;
  readonly bbox: [number, number, number, number];
  readonly italicAngle: number;
  private readonly used = new Map<number, number>(); // gid → code point (for ToUnicode)
  readonly postscriptName: string;

  constructor(readonly data: Buffer) {
    const numTables = data.readUInt16BE(4);
    for (let i = 0; i < numTables; i += 1) {
      const at = 12 + i * 16;
      this.tables.set(data.toString('latin1', at, at + 4), { offset: data.readUInt32BE(at + 8), length: data.readUInt32BE(at + 12) });
    }
    const head = this.table('head');
    this.unitsPerEm = data.readUInt16BE(head.offset + 18);
    this.bbox = [data.readInt16BE(head.offset + 36), data.readInt16BE(head.offset + 38), data.readInt16BE(head.offset + 40), data.readInt16BE(head.offset + 42)];
    this.numGlyphs = data.readUInt16BE(this.table('maxp').offset + 4);
    const hhea = this.table('hhea');
    this.ascent = data.readInt16BE(hhea.offset + 4);
    this.descent = data.readInt16BE(hhea.offset + 6);
    const numMetrics = data.readUInt16BE(hhea.offset + 34);
    const hmtx = this.table('hmtx');
    let last = 0;
    for (let g = 0; g < this.numGlyphs; g += 1) {
      if (g < numMetrics) last = data.readUInt16BE(hmtx.offset + g * 4);
      this.advances.push(last);
    }
    const os2 = this.tables.get('OS/2');
    this.capHeight = os2 && os2.length >= 90 ? data.readInt16BE(os2.offset + 88) : this.ascent;
    const post = this.tables.get('post');
    this.italicAngle = post ? data.readInt32BE(post.offset + 4) / 65536 : 0;
    this.readCmap();
    this.postscriptName = this.readName(6) ?? 'Font';
  }

  static load(path: string): TrueTypeFont {
    return new TrueTypeFont(fs.readFileSync(path));
  }

  private table(tag: string): Table {
    const t = this.tables.get(tag);
    if (!t) throw new AppError('INVALID_INPUT', `Font has no ${tag} table`, { reason: 'FONT_UNSUPPORTED' });
    return t;
  }

  private readName(id: number): string | undefined {
    const t = this.tables.get('name');
    if (!t) return undefined;
    const d = this.data;
    const count = d.readUInt16BE(t.offset + 2);
    const strings = t.offset + d.readUInt16BE(t.offset + 4);
    for (let i = 0; i < count; i += 1) {
      const r = t.offset + 6 + i * 12;
      if (d.readUInt16BE(r + 6) !== id) continue;
      const platform = d.readUInt16BE(r);
      const len = d.readUInt16BE(r + 8);
      const off = strings + d.readUInt16BE(r + 10);
      const raw = Buffer.from(d.subarray(off, off + len));
      if (platform === 3 || platform === 0) {
        raw.swap16();
        return raw.toString('utf16le').replace(/[^A-Za-z0-9-]/g, '');
      }
      return raw.toString('latin1').replace(/[^A-Za-z0-9-]/g, '');
    }
    return undefined;
  }

  private readCmap(): void {
    const d = this.data;
    const t = this.table('cmap');
    const n = d.readUInt16BE(t.offset + 2);
    let best: { offset: number; format: number } | undefined;
    for (let i = 0; i < n; i += 1) {
      const r = t.offset + 4 + i * 8;
      const platform = d.readUInt16BE(r);
      const encoding = d.readUInt16BE(r + 2);
      const offset = t.offset + d.readUInt32BE(r + 4);
      const format = d.readUInt16BE(offset);
      if (platform === 3 && encoding === 10 && format === 12) best = { offset, format };
      else if (!best && ((platform === 3 && encoding === 1) || platform === 0) && format === 4) best = { offset, format };
    }
    if (!best) throw new AppError('INVALID_INPUT', 'Font has no Unicode cmap', { reason: 'FONT_UNSUPPORTED' });
    const o = best.offset;
    if (best.format === 12) {
      const groups = d.readUInt32BE(o + 12);
      for (let i = 0; i < groups; i += 1) {
        const g = o + 16 + i * 12;
        const start = d.readUInt32BE(g);
        const end = d.readUInt32BE(g + 4);
        const gid = d.readUInt32BE(g + 8);
        for (let c = start; c <= end && c - start < 0x10000; c += 1) this.cmap.set(c, gid + (c - start));
      }
      return;
    }
    const segX2 = d.readUInt16BE(o + 6);
    const ends = o + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    for (let s = 0; s < segX2 / 2; s += 1) {
      const end = d.readUInt16BE(ends + s * 2);
      const start = d.readUInt16BE(starts + s * 2);
      const delta = d.readInt16BE(deltas + s * 2);
      const rangeOffset = d.readUInt16BE(ranges + s * 2);
      for (let c = start; c <= end && c !== 0xffff; c += 1) {
        let gid: number;
        if (rangeOffset === 0) gid = (c + delta) & 0xffff;
        else {
          const at = ranges + s * 2 + rangeOffset + (c - start) * 2;
          gid = d.readUInt16BE(at);
          if (gid !== 0) gid = (gid + delta) & 0xffff;
        }
        if (gid) this.cmap.set(c, gid);
      }
    }
  }

  /** Glyph ids for a string (NFC; missing characters become glyph 0 and are reported). */
  glyphs(text: string): number[] {
    const out: number[] = [];
    for (const ch of text.normalize('NFC')) {
      const cp = ch.codePointAt(0) ?? 0;
      const gid = this.cmap.get(cp) ?? 0;
      out.push(gid);
      if (gid) this.used.set(gid, cp);
    }
    return out;
  }

  has(cp: number): boolean {
    return this.cmap.has(cp);
  }

  get usedCount(): number {
    return this.used.size;
  }

  hasAllGlyphs(text: string): boolean {
    return [...text.normalize('NFC')].every((ch) => this.cmap.has(ch.codePointAt(0) ?? 0));
  }

  widthOf(text: string, size: number): number {
    return (this.glyphs(text).reduce((w, g) => w + (this.advances[g] ?? 0), 0) * size) / this.unitsPerEm;
  }

  /** Hex string operand for Tj. */
  encode(text: string): string {
    return `<${this.glyphs(text)
      .map((g) => g.toString(16).padStart(4, '0'))
      .join('')}>`;
  }

  /** Writes the Type0 font (subset of the glyphs used so far) into the update. */
  embed(update: IncrementalUpdate): PdfRef {
    const gids = [...this.used.keys()].sort((a, b) => a - b);
    const file = this.subset(new Set([0, ...gids]));
    const fontFile = update.add(new PdfStream(dict({ Length1: file.length, Filter: name('FlateDecode') }), zlib.deflateSync(file)));
    const scale = (v: number): number => Math.round((v * 1000) / this.unitsPerEm);
    const tag = 'VTSUBS+';
    const descriptor = update.add(
      dict({
        Type: name('FontDescriptor'),
        FontName: name(tag + this.postscriptName),
        Flags: 34, // serif, nonsymbolic
        FontBBox: this.bbox.map(scale),
        ItalicAngle: this.italicAngle,
        Ascent: scale(this.ascent),
        Descent: scale(this.descent),
        CapHeight: scale(this.capHeight),
        StemV: 80,
        FontFile2: fontFile,
      }),
    );
    const widths: (number | number[])[] = [];
    for (const g of gids) widths.push(g, [scale(this.advances[g] ?? 0)]);
    const cid = update.add(
      dict({
        Type: name('Font'),
        Subtype: name('CIDFontType2'),
        BaseFont: name(tag + this.postscriptName),
        CIDSystemInfo: dict({ Registry: asString('Adobe'), Ordering: asString('Identity'), Supplement: 0 }),
        FontDescriptor: descriptor,
        W: widths.flat(0) as never,
        CIDToGIDMap: name('Identity'),
      }),
    );
    const toUnicode = update.add(new PdfStream(dict({ Filter: name('FlateDecode') }), zlib.deflateSync(Buffer.from(this.toUnicodeCMap(gids), 'latin1'))));
    return update.add(
      dict({
        Type: name('Font'),
        Subtype: name('Type0'),
        BaseFont: name(tag + this.postscriptName),
        Encoding: name('Identity-H'),
        DescendantFonts: [cid],
        ToUnicode: toUnicode,
      }),
    );
  }

  private toUnicodeCMap(gids: number[]): string {
    const lines = gids.map((g) => {
      const cp = this.used.get(g) ?? 0xfffd;
      const utf16 = Buffer.from(String.fromCodePoint(cp), 'utf16le');
      utf16.swap16();
      return `<${g.toString(16).padStart(4, '0')}> <${utf16.toString('hex')}>`;
    });
    const chunks: string[] = [];
    for (let i = 0; i < lines.length; i += 100) {
      const part = lines.slice(i, i + 100);
      chunks.push(`${part.length} beginbfchar\n${part.join('\n')}\nendbfchar`);
    }
    return `/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n${chunks.join('\n')}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n`;
  }

  /** The font with every glyph outline but `keep` (and their components) emptied. */
  private subset(keep: Set<number>): Buffer {
    const d = this.data;
    const head = this.table('head');
    const loca = this.table('loca');
    const glyf = this.table('glyf');
    const long = d.readInt16BE(head.offset + 50) === 1;
    const glyphRange = (g: number): [number, number] =>
      long ? [d.readUInt32BE(loca.offset + g * 4), d.readUInt32BE(loca.offset + g * 4 + 4)] : [d.readUInt16BE(loca.offset + g * 2) * 2, d.readUInt16BE(loca.offset + g * 2 + 2) * 2];
    // composite glyph components
    const queue = [...keep];
    while (queue.length) {
      const g = queue.pop() as number;
      const [s, e] = glyphRange(g);
      if (e - s < 10 || d.readInt16BE(glyf.offset + s) >= 0) continue;
      let p = glyf.offset + s + 10;
      for (;;) {
        const flags = d.readUInt16BE(p);
        const comp = d.readUInt16BE(p + 2);
        if (!keep.has(comp)) {
          keep.add(comp);
          queue.push(comp);
        }
        p += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
        if (!(flags & 0x20)) break;
      }
    }
    const glyfParts: Buffer[] = [];
    const newLoca = Buffer.alloc((this.numGlyphs + 1) * 4);
    let at = 0;
    for (let g = 0; g < this.numGlyphs; g += 1) {
      newLoca.writeUInt32BE(at, g * 4);
      if (keep.has(g)) {
        const [s, e] = glyphRange(g);
        const bytes = d.subarray(glyf.offset + s, glyf.offset + e);
        const padded = Buffer.concat([bytes, Buffer.alloc((4 - (bytes.length % 4)) % 4)]);
        glyfParts.push(padded);
        at += padded.length;
      }
    }
    newLoca.writeUInt32BE(at, this.numGlyphs * 4);
    const newHead = Buffer.from(d.subarray(head.offset, head.offset + head.length));
    newHead.writeUInt32BE(0, 8); // checksumAdjustment
    newHead.writeInt16BE(1, 50); // long loca
    const out = new Map<string, Buffer>();
    for (const tag of ['cmap', 'cvt ', 'fpgm', 'hhea', 'hmtx', 'maxp', 'prep', 'OS/2', 'post', 'name']) {
      const t = this.tables.get(tag);
      if (t) out.set(tag, d.subarray(t.offset, t.offset + t.length));
    }
    out.set('head', newHead);
    out.set('loca', newLoca);
    out.set('glyf', Buffer.concat(glyfParts));
    return sfnt(out);
  }
}

function checksum(b: Buffer): number {
  let sum = 0;
  const padded = Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

function sfnt(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const n = tags.length;
  const header = Buffer.alloc(12 + n * 16);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(n, 4);
  let pow = 1;
  let log = 0;
  while (pow * 2 <= n) {
    pow *= 2;
    log += 1;
  }
  header.writeUInt16BE(pow * 16, 6);
  header.writeUInt16BE(log, 8);
  header.writeUInt16BE(n * 16 - pow * 16, 10);
  let offset = header.length;
  const bodies: Buffer[] = [];
  tags.forEach((tag, i) => {
    const body = tables.get(tag) as Buffer;
    const r = 12 + i * 16;
    header.write(tag, r, 4, 'latin1');
    header.writeUInt32BE(checksum(body), r + 4);
    header.writeUInt32BE(offset, r + 8);
    header.writeUInt32BE(body.length, r + 12);
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    bodies.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}

function asString(s: string): PdfString {
  return new PdfString(Buffer.from(s, 'latin1'));
}

/**
 * A main font plus fallbacks: each character is drawn with the first font that
 * has it (as Chromium and LibreOffice do), so Vietnamese renders whatever the
 * main font's coverage. Resource names F1, F2, … follow the chain order.
 */
export class FontChain {
  constructor(readonly fonts: TrueTypeFont[]) {}

  static load(kind: keyof typeof defaultFontPaths = 'regular', mainPath?: string): FontChain {
    const main = TrueTypeFont.load(mainPath ?? findFont(kind));
    const fallbacks = fallbackFontPaths[kind].filter((p) => fs.existsSync(p) && p !== mainPath).slice(0, 1);
    return new FontChain([main, ...fallbacks.map((p) => TrueTypeFont.load(p))]);
  }

  runs(text: string): { font: number; text: string }[] {
    const out: { font: number; text: string }[] = [];
    for (const ch of text.normalize('NFC')) {
      const cp = ch.codePointAt(0) ?? 0;
      let font = this.fonts.findIndex((f) => f.has(cp));
      if (font < 0) font = 0;
      const last = out.at(-1);
      if (last && last.font === font) last.text += ch;
      else out.push({ font, text: ch });
    }
    return out;
  }

  widthOf(text: string, size: number): number {
    return this.runs(text).reduce((w, r) => w + (this.fonts[r.font] as TrueTypeFont).widthOf(r.text, size), 0);
  }

  /** Text-showing operators (inside BT … ET, after the position is set). */
  show(text: string, size: number): string {
    return this.runs(text)
      .map((r) => `/F${r.font + 1} ${size.toFixed(2)} Tf ${(this.fonts[r.font] as TrueTypeFont).encode(r.text)} Tj`)
      .join(' ');
  }

  /** Embeds the fonts that drew something; returns the /Font resource entries. */
  embed(update: IncrementalUpdate): Record<string, PdfRef> {
    const out: Record<string, PdfRef> = {};
    this.fonts.forEach((f, i) => {
      if (f.usedCount > 0 || i === 0) out[`F${i + 1}`] = f.embed(update);
    });
    return out;
  }
}
