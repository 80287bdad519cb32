// Test support: the text of a PDF written with embedded Type0 fonts (as pdf-lib writes them, without object
// streams): the text-showing operators of every page in order, each mapped to Unicode through the ToUnicode map
// of the font it is shown in. Enough to read what the opinion says.
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream: string | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const found = new Map<number, PdfObject>();
  const pattern = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const body = match[2] ?? '';
    const at = body.search(/stream\r?\n/);
    if (at < 0) {
      found.set(Number(match[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, at);
    const start = match.index + match[0].indexOf(body) + body.slice(at).indexOf('\n') + at + 1;
    const end = text.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    let stream: string | null = null;
    try {
      stream = (/\/FlateDecode/.test(dict) ? inflateSync(raw) : raw).toString('latin1');
    } catch {
      stream = null;
    }
    found.set(Number(match[1]), { dict, stream });
  }
  return found;
}

const ref = (dict: string, key: string): number | undefined => {
  const match = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return match ? Number(match[1]) : undefined;
};

function utf16(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes.readUInt16BE(i));
  return out;
}

function cmapOf(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
      map.set(parseInt(pair[1] ?? '', 16), utf16(pair[2] ?? ''));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const [low, high, first] = [parseInt(range[1] ?? '', 16), parseInt(range[2] ?? '', 16), parseInt(range[3] ?? '', 16)];
      for (let code = low; code <= high; code++) map.set(code, String.fromCodePoint(first + code - low));
    }
  }
  return map;
}

/** The text shown in `pdf`, one string per text-showing operator, in page and content order. */
export function pdfText(pdf: Buffer): string[] {
  const all = objects(pdf);
  const shown: string[] = [];
  const pages = [...all.values()].filter((o) => /\/Type\s*\/Page\b/.test(o.dict));
  for (const page of pages) {
    // Resource name of each font → its ToUnicode map.
    const fontsDict = /\/Font\s*<<([\s\S]*?)>>/.exec(page.dict)?.[1] ?? '';
    const maps = new Map<string, Map<number, string>>();
    for (const entry of fontsDict.matchAll(/\/([^\s/]+)\s+(\d+) 0 R/g)) {
      const font = all.get(Number(entry[2]));
      const toUnicode = font ? ref(font.dict, 'ToUnicode') : undefined;
      const cmap = toUnicode === undefined ? undefined : all.get(toUnicode)?.stream;
      if (cmap) maps.set(entry[1] ?? '', cmapOf(cmap));
    }
    const contentsEntry = /\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(page.dict)?.[1] ?? '';
    const content = [...contentsEntry.matchAll(/(\d+) 0 R/g)].map((m) => all.get(Number(m[1]))?.stream ?? '').join('\n');
    let current = new Map<number, string>();
    for (const op of content.matchAll(/\/([^\s/]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj/g)) {
      if (op[1] !== undefined) {
        current = maps.get(op[1]) ?? new Map();
        continue;
      }
      const hex = op[2] ?? '';
      let text = '';
      for (let i = 0; i + 4 <= hex.length; i += 4) text += current.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD';
      shown.push(text);
    }
  }
  return shown;
}
