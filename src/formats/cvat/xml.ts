/**
 * A small, tolerant XML reader for flat annotation exports (CVAT's `annotations.xml`): elements,
 * attributes, text, the five named entities and numeric character references. Comments, processing
 * instructions, a DOCTYPE and CDATA are handled; namespaces, DTD entities and validation are not
 * needed and not read. It never throws: a broken file gives a message with its line.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities decoded), without its children's. */
  text: string;
  line: number;
}

/** Deeper than any annotation export: keeps a hostile file from exhausting the stack of whoever walks the tree. */
const MAX_DEPTH = 64;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return Object.hasOwn(ENTITIES, e) ? ENTITIES[e] : m;
  });
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_.:]*/y;
const ATTR = /\s*([A-Za-z_:][-A-Za-z0-9_.:]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

/** The document's root element, or a message saying what is wrong and on which line. */
export function parseXml(text: string): { ok: true; root: XmlElement } | { ok: false; line: number; message: string } {
  let line = 1;
  let last = 0;
  const lineAt = (i: number) => {
    for (; last < i; last++) if (text.charCodeAt(last) === 10) line++;
    return line;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const fail = (at: number, message: string) => ({ ok: false as const, line: lineAt(at), message });
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (chunk.trim()) {
      if (!stack.length) return fail(i, 'text outside the root element');
      stack[stack.length - 1].text += decode(chunk);
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return fail(i, 'a comment is not closed (-->)');
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return fail(i, 'a processing instruction is not closed (?>)');
      i = end + 2;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) return fail(i, 'a CDATA section is not closed (]]>)');
      if (!stack.length) return fail(i, 'text outside the root element');
      stack[stack.length - 1].text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      // A DOCTYPE (with an internal subset in brackets, which is skipped, not read).
      let depth = 0, j = i + 2;
      for (; j < text.length; j++) {
        const c = text[j];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      if (j >= text.length) return fail(i, 'a declaration is not closed (>)');
      i = j + 1;
    } else if (text[i + 1] === '/') {
      NAME.lastIndex = i + 2;
      const m = NAME.exec(text);
      const end = text.indexOf('>', i);
      if (!m || end < 0) return fail(i, 'a closing tag is broken');
      const open = stack.pop();
      if (!open) return fail(i, `</${m[0]}> closes nothing`);
      if (open.name !== m[0]) return fail(i, `</${m[0]}> closes <${open.name}> (opened on line ${open.line})`);
      i = end + 1;
    } else {
      NAME.lastIndex = i + 1;
      const m = NAME.exec(text);
      if (!m) return fail(i, 'a "<" that starts no tag (write &lt; in text)');
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '', line: lineAt(i) };
      let j = NAME.lastIndex;
      for (;;) {
        ATTR.lastIndex = j;
        const a = ATTR.exec(text);
        if (!a) break;
        // Own properties only: an attribute named "__proto__" stays data.
        Object.defineProperty(el.attrs, a[1], { value: decode(a[3] ?? a[4]), enumerable: true, writable: true, configurable: true });
        j = ATTR.lastIndex;
      }
      while (j < text.length && /\s/.test(text[j])) j++;
      const selfClosing = text[j] === '/' && text[j + 1] === '>';
      if (!selfClosing && text[j] !== '>') return fail(j, `<${m[0]}> has a broken attribute or is not closed`);
      if (stack.length) stack[stack.length - 1].children.push(el);
      else if (root) return fail(i, `a second root element <${m[0]}>`);
      else root = el;
      if (!selfClosing) {
        if (stack.length >= MAX_DEPTH) return fail(i, `elements are nested more than ${MAX_DEPTH} deep`);
        stack.push(el);
      }
      i = j + (selfClosing ? 2 : 1);
    }
  }
  if (stack.length) return fail(text.length, `<${stack[stack.length - 1].name}> (line ${stack[stack.length - 1].line}) is not closed`);
  if (!root) return fail(0, 'holds no element');
  return { ok: true, root };
}

/** The first child element named `name`. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}
