/**
 * A report draft as editable fields, in reading order: marking, title, 主送机关, then each section's
 * heading and its blocks (paragraphs and list items as text areas, subheadings as lines), the
 * tables shown as they will print (their figures are the ledger's), and the signature. Every field
 * is labelled with where it is ("一、整改工作总体情况第2段"), so it reads out and tabs in order.
 */
import { Input, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DraftBlock, ReportDraft } from '../../../../db/domain/report-draft.js';
import { itemMarker } from '../../../../db/domain/report-text.js';
import { setBlockText, setHead, setHeading, setSignature, type TextAt } from './draft-edit.js';

const AUTO = { minRows: 2, maxRows: 12 };

export function DraftEditor({ draft, onChange }: { draft: ReportDraft; onChange(d: ReportDraft): void }) {
  const { t } = useTranslation('drafts');
  return (
    <div className="xz-draft-editor" data-testid="draft-editor">
      <label className="xz-draft-field">
        <span>{t('marking')}</span>
        <Input value={draft.marking} maxLength={200} onChange={(e) => onChange(setHead(draft, 'marking', e.target.value))} data-testid="draft-marking" />
      </label>
      <label className="xz-draft-field">
        <span>{t('docTitle')}</span>
        <Input.TextArea
          value={draft.title} maxLength={500} autoSize={{ minRows: 1, maxRows: 3 }} className="xz-draft-title"
          onChange={(e) => onChange(setHead(draft, 'title', e.target.value))} data-testid="draft-title"
        />
      </label>
      {(draft.addressee || draft.kind !== 'disclosure') && (
        <label className="xz-draft-field">
          <span>{t('addressee')}</span>
          <Input value={draft.addressee} maxLength={500} onChange={(e) => onChange(setHead(draft, 'addressee', e.target.value))} data-testid="draft-addressee" />
        </label>
      )}
      {draft.sections.map((sec, s) => (
        <section key={s} className="xz-draft-section" data-testid={`draft-section-${s}`}>
          <Input
            value={sec.heading} maxLength={1000} aria-label={t('heading', { n: s + 1 })} className="xz-draft-heading"
            onChange={(e) => onChange(setHeading(draft, s, e.target.value))}
          />
          {sec.blocks.map((b, k) => (
            <Block key={k} block={b} at={{ s, b: k }} heading={sec.heading} draft={draft} onChange={onChange} />
          ))}
        </section>
      ))}
      <div className="xz-draft-signature">
        <label className="xz-draft-field">
          <span>{t('issuer')}</span>
          <Input value={draft.signature.issuer} maxLength={500} onChange={(e) => onChange(setSignature(draft, 'issuer', e.target.value))} />
        </label>
        <label className="xz-draft-field">
          <span>{t('date')}</span>
          <Input value={draft.signature.date} maxLength={100} onChange={(e) => onChange(setSignature(draft, 'date', e.target.value))} />
        </label>
      </div>
    </div>
  );
}

/** One block of a section; its label says the section and its place there. */
function Block({ block, at, heading, draft, onChange }: {
  block: DraftBlock; at: TextAt; heading: string; draft: ReportDraft; onChange(d: ReportDraft): void;
}) {
  const { t } = useTranslation('drafts');
  const edit = (text: string, item?: number) => onChange(setBlockText(draft, item === undefined ? at : { ...at, item }, text));
  // Counted among the blocks of the same type, as a reader counts them.
  const nth = draft.sections[at.s]!.blocks.slice(0, at.b + 1).filter((x) => x.type === block.type).length;
  switch (block.type) {
    case 'paragraph':
      return (
        <Input.TextArea
          value={block.text} autoSize={AUTO} maxLength={20000} className="xz-draft-paragraph"
          aria-label={t('paragraph', { heading, n: nth })} onChange={(e) => edit(e.target.value)}
          data-testid={`draft-p-${at.s}-${at.b}`}
        />
      );
    case 'subheading':
      return (
        <Input
          value={block.text} maxLength={1000} className="xz-draft-subheading" aria-label={t('subheading', { heading, n: nth })}
          onChange={(e) => edit(e.target.value)}
        />
      );
    case 'list':
      return (
        <ol className="xz-draft-list">
          {block.items.map((it, k) => (
            <li key={k}>
              <span className="xz-draft-marker" aria-hidden>{itemMarker(k)}</span>
              <Input.TextArea
                value={it} autoSize={{ minRows: 1, maxRows: 8 }} maxLength={20000}
                aria-label={t('listItem', { heading, n: k + 1 })} onChange={(e) => edit(e.target.value, k)}
              />
            </li>
          ))}
        </ol>
      );
    case 'table':
      return (
        <figure className="xz-draft-table">
          <figcaption>{block.caption}</figcaption>
          <Table<{ key: number; cells: string[] }>
            size="small" bordered pagination={false} dataSource={block.rows.map((cells, key) => ({ key, cells }))} scroll={{ x: 'max-content' }}
            columns={block.columns.map((c, j) => ({ title: c, key: String(j), render: (_: unknown, r: { cells: string[] }) => r.cells[j] ?? '' }))}
            data-testid={`draft-table-${at.s}-${at.b}`}
          />
          <Typography.Text type="secondary" className="xz-draft-note">{t('tableNote')}</Typography.Text>
        </figure>
      );
  }
}
