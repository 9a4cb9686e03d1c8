/**
 * Edits of a report draft as the screen makes them: each returns a new draft with one text
 * changed, the rest shared (React compares by reference). Tables are not edited here: their figures
 * are the ledger's (db/reports/drafts.ts), corrected in the ledger and drafted again.
 */
import type { DraftBlock, ReportDraft } from '../../../../db/domain/report-draft.js';

/** Where a text of the body is: section, block, and for a list the item. */
export interface TextAt { s: number; b: number; item?: number }

export type HeadField = 'title' | 'addressee' | 'marking';

export function setHead(d: ReportDraft, field: HeadField, text: string): ReportDraft {
  return { ...d, [field]: text };
}

export function setSignature(d: ReportDraft, field: 'issuer' | 'date', text: string): ReportDraft {
  return { ...d, signature: { ...d.signature, [field]: text } };
}

export function setHeading(d: ReportDraft, s: number, text: string): ReportDraft {
  return { ...d, sections: d.sections.map((sec, k) => (k === s ? { ...sec, heading: text } : sec)) };
}

function withText(b: DraftBlock, text: string, item: number | undefined): DraftBlock {
  switch (b.type) {
    case 'paragraph':
    case 'subheading':
      return { ...b, text };
    case 'list':
      return item === undefined ? b : { ...b, items: b.items.map((x, k) => (k === item ? text : x)) };
    case 'table':
      return b;
  }
}

export function setBlockText(d: ReportDraft, at: TextAt, text: string): ReportDraft {
  return {
    ...d,
    sections: d.sections.map((sec, k) => (k !== at.s ? sec : { ...sec, blocks: sec.blocks.map((b, j) => (j === at.b ? withText(b, text, at.item) : b)) })),
  };
}
