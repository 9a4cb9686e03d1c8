/**
 * 导入预览: who sent the package (name, fingerprint), when, its number and the earlier ones missing,
 * whether it was imported already, the counts per outcome and every item (table, record, field,
 * old → new), filterable by outcome. Nothing here writes.
 */
import { Alert, Descriptions, Radio, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KeyGroups } from '../../components/KeySheet.js';
import { useSession } from '../../core/session.js';
import { fileSize } from '../detail/format.js';
import { minute, OUTCOMES, type Outcome, type PackagePreview as Preview, type PreviewItem } from './api.js';
import { shortId, useValueText, useVocab, ValueCell } from './values.js';

export const OUTCOME_COLOURS: Record<Outcome, string> = {
  new: 'green', changed: 'blue', conflict: 'red', proposal: 'gold', deleted: 'volcano', restored: 'cyan', refused: 'magenta',
};
const PAGE = 20;

/** '第2号、第3号' from [2, 3]. */
export function useMissingList(): (seqs: readonly number[]) => string {
  const { t } = useTranslation('exchange');
  return (seqs) => seqs.map((n) => t('import.missingItem', { n })).join(t('import.listSep'));
}

/** `fileName`: as the user knows it (the harness stores an upload under a longer name). */
export function PackagePreview({ p, fileName, officeNames }: { p: Preview; fileName: string; officeNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation('exchange');
  const { t: ta } = useTranslation('auth');
  const s = useSession();
  const vocab = useVocab();
  const value = useValueText();
  const missingList = useMissingList();
  const [filter, setFilter] = useState<Outcome | 'all'>('all');
  const { header, preview } = p;
  const counts = preview.counts;
  const mine = header.recipients.find((r) => r.officeId === s.office?.id) ?? header.recipients[0];
  const scope = header.scope as { mode?: unknown; includesClues?: unknown; unitIds?: unknown; problemIds?: unknown; from?: unknown; to?: unknown };
  /** The header's scope (db/exchange/scope.ts) in words: ids are all a header names (its text is not encrypted). */
  const scopeLabel = (sc: typeof scope) => {
    const n = (ids: unknown) => (Array.isArray(ids) ? ids.length : 0);
    if (sc.mode === 'units') return t('import.scopeUnits', { n: n(sc.unitIds) });
    if (sc.mode === 'problems') return t('import.scopeProblems', { n: n(sc.problemIds) });
    if (sc.mode === 'dates') return t('import.scopeDates', { from: String(sc.from), to: String(sc.to) });
    if (sc.mode === 'first_contact') return t('import.scopeFirst');
    return t(sc.mode === 'full' ? 'export.full' : sc.mode === 'round' ? 'export.round' : 'export.since');
  };
  const records = (header.counts as { records?: unknown }).records;
  const items = useMemo(() => (filter === 'all' ? preview.items : preview.items.filter((i) => i.outcome === filter)), [filter, preview.items]);
  const office = (id: string) => (id === s.office?.id ? t('import.ownOffice') : id === header.sender.officeId ? header.sender.name : officeNames.get(id) ?? shortId(id));
  const labels = p.labels ?? {};
  const total = OUTCOMES.reduce((n, o) => n + counts[o], 0);

  return (
    <div data-testid="package-preview">
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} className="xz-exchange-desc" items={[
        {
          key: 'sender', label: t('import.sender'), span: 2,
          children: <span data-testid="preview-sender">{header.sender.name}<Typography.Text type="secondary"> · {ta(`officeKinds.${header.sender.kind}`)}</Typography.Text></span>,
        },
        { key: 'fp', label: t('import.fingerprint'), span: 2, children: <KeyGroups value={header.sender.fingerprint} size="small" testId="preview-sender-fingerprint" /> },
        { key: 'created', label: t('import.createdAt'), children: minute(header.createdAt) },
        { key: 'seq', label: t('import.seq'), children: <span data-testid="preview-seq">{t('import.seqValue', { n: mine?.seq ?? '—' })}</span> },
        {
          key: 'scope', label: t('import.scope'),
          children: <>{scopeLabel(scope)}{scope.includesClues === true ? t('import.withClues') : ''}</>,
        },
        { key: 'records', label: t('import.records'), children: typeof records === 'number' ? records : counts.records },
        { key: 'file', label: t('export.fileName'), span: 2, children: <span className="xz-break">{fileName}（{fileSize(p.bytes)}）</span> },
      ]} />
      {p.alreadyApplied && <Alert type="info" showIcon title={t('import.alreadyApplied')} className="xz-exchange-status" data-testid="preview-already" />}
      {p.missing.length > 0 && (
        <Alert type="warning" showIcon title={t('import.missing', { list: missingList(p.missing) })} className="xz-exchange-status" data-testid="preview-missing" />
      )}
      <h3 className="xz-exchange-h3" id="preview-counts">{t('import.counts')}</h3>
      <Radio.Group
        optionType="button" buttonStyle="solid" value={filter} onChange={(e) => setFilter(e.target.value as Outcome | 'all')}
        aria-labelledby="preview-counts" className="xz-exchange-filter" data-testid="preview-counts"
        options={[
          { value: 'all', label: <span>{t('import.all')} <b data-testid="count-all">{total}</b></span> },
          ...OUTCOMES.map((o) => ({ value: o, label: <span>{t(`outcomes.${o}`)} <b data-testid={`count-${o}`}>{counts[o]}</b></span> })),
        ]}
      />
      <Typography.Text type="secondary" className="xz-exchange-unchanged">
        {t('outcomes.unchanged')} <span data-testid="count-unchanged">{counts.unchanged}</span>
      </Typography.Text>
      {preview.items.length < total && (
        <Typography.Paragraph type="secondary">{t('import.capped', { n: preview.items.length })}</Typography.Paragraph>
      )}
      <Table<PreviewItem>
        size="small" rowKey={(i) => `${i.outcome}|${i.table}|${i.id}|${i.field ?? ''}|${i.at}`} dataSource={items} data-testid="preview-items"
        pagination={{ pageSize: PAGE, showSizeChanger: false, hideOnSinglePage: true, showTotal: (n) => t('units.rows', { ns: 'common', n }) }}
        locale={{ emptyText: filter === 'all' ? t('import.empty') : t('import.emptyFilter') }}
        rowClassName={(i) => `xz-outcome-${i.outcome}`}
        columns={[
          { title: t('import.col.outcome'), key: 'outcome', width: 70, render: (_, i) => <Tag color={OUTCOME_COLOURS[i.outcome]} data-outcome={i.outcome}>{t(`outcomes.${i.outcome}`)}</Tag> },
          { title: t('import.col.table'), key: 'table', width: 110, render: (_, i) => vocab.table(i.table) },
          { title: t('import.col.record'), key: 'record', render: (_, i) => <ValueCell text={labels[i.id] ?? shortId(i.id)} /> },
          { title: t('import.col.field'), key: 'field', width: 120, render: (_, i) => (i.field ? vocab.field(i.field) : <Typography.Text type="secondary">{t('import.wholeRecord')}</Typography.Text>) },
          {
            title: t('import.col.change'), key: 'change', render: (_, i) => (i.outcome === 'refused' ? <ValueCell text={String(i.to ?? '')} testId="refused-reason" /> : i.field === null ? '—' : (
              <span className="xz-exchange-change">
                <ValueCell text={value(i.field, i.from)} /> <span aria-hidden="true">→</span> <ValueCell text={value(i.field, i.to)} strong />
              </span>
            )),
          },
          { title: t('import.col.by'), key: 'by', width: 150, render: (_, i) => <ValueCell text={office(i.byOffice)} /> },
          { title: t('import.col.at'), key: 'at', width: 130, render: (_, i) => <span className="xz-nowrap">{minute(i.at)}</span> },
        ]}
      />
    </div>
  );
}
