/**
 * A minimal XML writer: enough to write edXML with exact prefixes, element order and
 * indentation. Text is escaped here; values are checked for XML-legal characters by
 * fields.ts before they reach it.
 */
export interface XmlElement {
  name: string;
  attributes?: Readonly<Record<string, string>>;
  /** Child elements, or a single text value. */
  content?: readonly XmlNode[] | string;
}

/** Already serialised, well-formed XML (the opaque signature). */
export interface XmlRaw {
  raw: string;
}

export type XmlNode = XmlElement | XmlRaw;

export function escapeXmlText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

function escapeAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** Element with children, dropping `undefined` entries (absent optional elements). */
export function element(
  name: string,
  children: readonly (XmlNode | undefined)[],
  attributes?: Record<string, string>,
): XmlElement {
  const content = children.filter((c): c is XmlNode => c !== undefined);
  return attributes ? { name, attributes, content } : { name, content };
}

/** Text element; `undefined` value → no element at all. */
export function textElement(name: string, value: string | number | undefined, attributes?: Record<string, string>): XmlElement | undefined {
  if (value === undefined) return undefined;
  const content = String(value);
  return attributes ? { name, attributes, content } : { name, content };
}

function write(node: XmlNode, indent: string, out: string[]): void {
  if ('raw' in node) {
    out.push(indent + node.raw + '\n');
    return;
  }
  let open = '<' + node.name;
  for (const [key, value] of Object.entries(node.attributes ?? {})) open += ` ${key}="${escapeAttribute(value)}"`;
  const content = node.content;
  if (content === undefined || content.length === 0) {
    out.push(`${indent}${open}/>\n`);
  } else if (typeof content === 'string') {
    out.push(`${indent}${open}>${escapeXmlText(content)}</${node.name}>\n`);
  } else {
    out.push(`${indent}${open}>\n`);
    for (const child of content) write(child, indent + '  ', out);
    out.push(`${indent}</${node.name}>\n`);
  }
}

/** Serialises a document with the UTF-8 XML declaration. */
export function serializeDocument(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  write(root, '', out);
  return out.join('');
}
