/**
 * Hostile-input front end: bytes → checked text → DOM, and a small reader that walks
 * edXML elements by name while keeping the element path for error messages.
 *
 * Order of defences (each before the next costs anything):
 * 1. total size, before decoding;
 * 2. strict UTF-8 (fatal decoder), declared encoding must be UTF-8;
 * 3. no `<!DOCTYPE` / `<!ENTITY` anywhere — no DTD, so no external entities (XXE) and
 *    no entity expansion (billion laughs); only the five predefined entities remain;
 * 4. no characters XML forbids;
 * 5. xmldom with every warning and error made fatal (no silent recovery).
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { Document, Element } from '@xmldom/xmldom';
import { createRequire } from 'node:module';
import { AppError } from '../api/errors.js';
import { edxmlNamespace } from './constants.js';
import { invalid, tooLarge } from './fail.js';

/**
 * xmldom 0.9 builds (and compiles) a Unicode regular expression from the same parts at
 * every end tag (`grammar.reg`); with a hundred tags per package that was a third of a
 * millisecond a package on the receive path. The expressions have no `g`/`y` flag (no
 * state between uses), so the same parts may share one compiled expression.
 */
function memoiseXmldomGrammar(): void {
  const grammar = createRequire(import.meta.url)('@xmldom/xmldom/lib/grammar.js') as { reg?: unknown; vanthuMemoised?: boolean };
  const reg = grammar.reg;
  if (typeof reg !== 'function' || grammar.vanthuMemoised) return;
  // A trie on the parts themselves (strings by value, the grammar's expressions by identity): no key to build.
  interface Node {
    next: Map<string | RegExp, Node>;
    expression?: RegExp;
  }
  const root: Node = { next: new Map() };
  let size = 0;
  grammar.reg = function memoised(this: unknown, ...parts: Array<string | RegExp>): RegExp {
    let node = root;
    for (const part of parts) {
      let child = node.next.get(part);
      if (!child) {
        if (size >= 256) return (reg as (...a: Array<string | RegExp>) => RegExp).apply(this, parts);
        node.next.set(part, (child = { next: new Map() }));
        size += 1;
      }
      node = child;
    }
    if (node.expression) return node.expression;
    const expression = (reg as (...a: Array<string | RegExp>) => RegExp).apply(this, parts);
    if (!expression.global && !expression.sticky) node.expression = expression;
    return expression;
  };
  grammar.vanthuMemoised = true;
}
memoiseXmldomGrammar();

const packagePath = 'package';

/** Checks and decodes the raw bytes into XML text (steps 1–4). */
export function decodeXmlText(bytes: Uint8Array, maxBytes: number): string {
  if (!(bytes instanceof Uint8Array)) throw invalid(packagePath, 'must be given as bytes');
  if (bytes.byteLength > maxBytes) {
    throw tooLarge(packagePath, `is ${bytes.byteLength} bytes, more than the limit of ${maxBytes}`, {
      limit: maxBytes,
      actual: bytes.byteLength,
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw invalid(packagePath, 'is not valid UTF-8');
  }
  const declaration = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(text);
  if (declaration && !/^utf-?8$/i.test(declaration[1] ?? '')) {
    throw invalid(packagePath, `declares encoding "${declaration[1]}"; edXML must be UTF-8`);
  }
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw invalid(packagePath, 'contains a DOCTYPE or ENTITY declaration, which edXML does not allow');
  }
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(text);
  if (bad) {
    throw invalid(packagePath, `contains the control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`);
  }
  return text;
}

/** Parses checked XML text; any xmldom warning or error rejects the input. */
export function parseXmlText(text: string, path = packagePath): Document {
  let firstProblem: string | undefined;
  const parser = new DOMParser({
    onError: (level: string, message: string) => {
      firstProblem ??= `${level}: ${message}`;
      throw new Error(firstProblem);
    },
  });
  try {
    return parser.parseFromString(text, 'text/xml');
  } catch (error) {
    if (error instanceof AppError) throw error;
    const message = firstProblem ?? (error instanceof Error ? error.message : String(error));
    throw invalid(path, `is not well-formed XML (${message.slice(0, 300)})`);
  }
}

/** Serialises an element (with the namespace declarations it needs) for opaque keeping. */
export function serializeElement(element: Element): string {
  return new XMLSerializer().serializeToString(element);
}

/** Walks edXML children by local name; all must be in the edXML namespace. */
export class EdxmlReader {
  constructor(
    readonly element: Element,
    readonly path: string,
  ) {}

  /** All children with one of the given local names, in document order. */
  private matching(names: readonly string[]): Element[] {
    const found: Element[] = [];
    for (let node = this.element.firstChild; node !== null; node = node.nextSibling) {
      if (node.nodeType !== node.ELEMENT_NODE) continue;
      const child = node as Element;
      if (child.localName === null || !names.includes(child.localName)) continue;
      if (child.namespaceURI !== edxmlNamespace) {
        throw invalid(`${this.path}/${child.localName}`, `is in namespace ${child.namespaceURI ?? '(none)'}, expected ${edxmlNamespace}`);
      }
      found.push(child);
    }
    return found;
  }

  private childPath(name: string): string {
    return this.path === '' ? name : `${this.path}/${name}`;
  }

  /** Repeated element: paths get a 1-based index, e.g. `MessageHeader/To[2]`. */
  all(name: string): EdxmlReader[] {
    return this.matching([name]).map((el, i) => new EdxmlReader(el, `${this.childPath(name)}[${i + 1}]`));
  }

  /** At most one element, under its name or one of its aliases (e.g. Bussiness/Business). */
  optional(name: string, aliases: readonly string[] = []): EdxmlReader | undefined {
    const found = this.matching([name, ...aliases]);
    if (found.length > 1) throw invalid(this.childPath(name), 'occurs more than once');
    const [first] = found;
    return first === undefined ? undefined : new EdxmlReader(first, this.childPath(name));
  }

  required(name: string, aliases: readonly string[] = []): EdxmlReader {
    const found = this.optional(name, aliases);
    if (found === undefined) throw invalid(this.childPath(name), 'is missing');
    return found;
  }

  /** Text content (text and CDATA); child elements are not allowed. */
  text(): string {
    let text = '';
    for (let node = this.element.firstChild; node !== null; node = node.nextSibling) {
      if (node.nodeType === node.TEXT_NODE || node.nodeType === node.CDATA_SECTION_NODE) text += node.nodeValue ?? '';
      else if (node.nodeType === node.ELEMENT_NODE) throw invalid(this.path, 'must contain text only');
    }
    return text;
  }

  /** Text of an optional child; undefined when absent. */
  textOf(name: string): string | undefined {
    return this.optional(name)?.text();
  }

  /** Path of a child, for error messages about its value. */
  pathOf(name: string): string {
    return this.childPath(name);
  }
}

/** Root <edXML> in the edXML namespace, then its envelope header. */
export function openEdxmlRoot(doc: Document): EdxmlReader {
  const root = doc.documentElement;
  if (!root) throw invalid('edXML', 'is missing');
  if (root.localName !== 'edXML') throw invalid('edXML', `is missing: the root element is <${root.nodeName}>`);
  if (root.namespaceURI !== edxmlNamespace) {
    throw invalid('edXML', `is in namespace ${root.namespaceURI ?? '(none)'}, expected ${edxmlNamespace}`);
  }
  return new EdxmlReader(root, '');
}
