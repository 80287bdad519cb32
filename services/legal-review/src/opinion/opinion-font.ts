/** The fonts embedded (subset) into each opinion PDF: a CJK one, and a Latin one for what the first lacks. */
export interface OpinionFonts {
  cjk: Uint8Array;
  latin: Uint8Array;
}
