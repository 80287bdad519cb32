import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { OpinionFonts } from './opinion-font';

/** What the written opinion (法制审核意见书) states, in the words printed. */
export interface OpinionDocument {
  agencyName: string;
  caseNumber: string;
  round: number;
  /** The proposed decision, one line per penalty (e.g. "罚款 250000.00元"). */
  proposal: string[];
  legalBasis: string;
  /** The discretion computation (band, range, in or out of it), when the proposal named a benchmark violation. */
  discretion: string | null;
  items: Array<{ title: string; result: string; comment: string }>;
  /** "同意" / "退回补充调查或者补正" / "不同意". */
  conclusion: string;
  opinion: string;
  reviewer: string;
  /** The date as printed, e.g. "2026年3月2日". */
  date: string;
}

const PAGE = { width: 595.28, height: 841.89, margin: 56 };
const SIZE = { title: 20, heading: 12, body: 11 };

/**
 * Renders the opinion as a PDF with the given CJK font embedded (subset), so that it reads the same everywhere.
 * Plain: the caller stores the bytes and their digest.
 */
export async function renderOpinionPdf(document: OpinionDocument, fonts: OpinionFonts): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = new MixedFont(await pdf.embedFont(fonts.cjk, { subset: true }), await pdf.embedFont(fonts.latin, { subset: true }));
  pdf.setTitle(`法制审核意见书 ${document.caseNumber}`);
  pdf.setSubject(document.agencyName);
  pdf.setCreator('enforcement-platform legal-review');
  pdf.setProducer('enforcement-platform legal-review');
  // Fixed dates keep a rendering reproducible from the same facts.
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  const writer = new Writer(pdf, font);
  writer.centered(document.agencyName, SIZE.heading);
  writer.centered('法制审核意见书', SIZE.title);
  writer.gap(8);
  writer.paragraph(`案件编号：${document.caseNumber}`);
  writer.paragraph(`审核轮次：第${document.round}轮`);
  writer.gap(6);
  writer.heading('一、拟作出的行政处罚决定');
  for (const line of document.proposal) writer.paragraph(line);
  writer.paragraph(`法律依据：${document.legalBasis || '（未载明）'}`);
  if (document.discretion) writer.paragraph(`裁量基准：${document.discretion}`);
  writer.gap(6);
  writer.heading('二、审核事项');
  document.items.forEach((item, index) => {
    writer.paragraph(`${index + 1}. ${item.title}：${item.result}${item.comment ? `。${item.comment}` : ''}`);
  });
  writer.gap(6);
  writer.heading('三、审核结论');
  writer.paragraph(`审核结论：${document.conclusion}`);
  writer.paragraph(`审核意见：${document.opinion}`);
  writer.gap(18);
  writer.paragraph(`审核人员：${document.reviewer}`);
  writer.paragraph(`审核日期：${document.date}`);
  return pdf.save({ useObjectStreams: false });
}

/** Two fonts as one: each character in the CJK font if it has it, else in the Latin one. */
class MixedFont {
  private readonly cjkCharacters: Set<number>;

  constructor(
    private readonly cjk: PDFFont,
    private readonly latin: PDFFont,
  ) {
    this.cjkCharacters = new Set(cjk.getCharacterSet());
  }

  /** The text cut into runs of one font each. */
  runs(text: string): Array<{ text: string; font: PDFFont }> {
    const runs: Array<{ text: string; font: PDFFont }> = [];
    for (const char of text) {
      const font = this.cjkCharacters.has(char.codePointAt(0) ?? 0) ? this.cjk : this.latin;
      const last = runs.at(-1);
      if (last && last.font === font) last.text += char;
      else runs.push({ text: char, font });
    }
    return runs;
  }

  widthOfTextAtSize(text: string, size: number): number {
    return this.runs(text).reduce((sum, run) => sum + run.font.widthOfTextAtSize(run.text, size), 0);
  }
}

/** Lays lines out top-down, wrapping by width (CJK text has no spaces to break at) and adding pages. */
class Writer {
  private page: PDFPage;
  private y: number;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly font: MixedFont,
  ) {
    this.page = pdf.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
  }

  centered(text: string, size: number): void {
    const width = this.font.widthOfTextAtSize(text, size);
    this.line(text, size, Math.max(PAGE.margin, (PAGE.width - width) / 2));
  }

  heading(text: string): void {
    this.line(text, SIZE.heading, PAGE.margin);
  }

  paragraph(text: string): void {
    const maxWidth = PAGE.width - 2 * PAGE.margin;
    let current = '';
    for (const char of text.replace(/\s+/g, ' ')) {
      if (current && this.font.widthOfTextAtSize(current + char, SIZE.body) > maxWidth) {
        this.line(current, SIZE.body, PAGE.margin);
        current = '';
      }
      current += char;
    }
    if (current) this.line(current, SIZE.body, PAGE.margin);
  }

  gap(points: number): void {
    this.y -= points;
  }

  private line(text: string, size: number, x: number): void {
    const height = size * 1.6;
    if (this.y - height < PAGE.margin) {
      this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
      this.y = PAGE.height - PAGE.margin;
    }
    this.y -= height;
    let at = x;
    for (const run of this.font.runs(text)) {
      this.page.drawText(run.text, { x: at, y: this.y, size, font: run.font, color: rgb(0, 0, 0) });
      at += run.font.widthOfTextAtSize(run.text, size);
    }
  }
}
