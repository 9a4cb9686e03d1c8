/**
 * 冲突与提议. A conflict: one field two offices changed without seeing each other's change; every
 * version (head) with its office and time, the one the ledger shows marked, and 采用此版本 per head
 * (conflicts:resolve writes it as this office's change, which travels and ends the conflict
 * everywhere). A proposal: a change from an office that does not own the field; where this office
 * owns it, 采纳 makes it this office's change and 不采纳 closes it with a reason (either travels
 * and closes it everywhere); otherwise it is shown, for the owning office to decide. Both need
 * ledger.write.
 */
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import type { Query } from '../../components/hooks.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { useSession } from '../../core/session.js';
import { minute, useExchangeError, type Conflict, type Proposal } from './api.js';
import { shortId, useValueText, useVocab, ValueCell } from './values.js';

export interface Pending {
  conflicts: Conflict[];
  proposals: Proposal[];
}

type Head = Conflict['heads'][number];

export function ConflictsTab({ pending }: { pending: Query<Pending> }) {
  const { t } = useTranslation('exchange');
  const s = useSession();
  if (pending.error) return <ErrorState error={pending.error} onRetry={pending.reload} />;
  if (!pending.data) return <Loading />;
  const write = s.can('ledger.write');
  return (
    <div data-testid="conflicts-tab">
      {!write && <Alert type="info" showIcon title={t('conflicts.noRight')} className="xz-exchange-status" />}
      <Conflicts rows={pending.data.conflicts} write={write} onDone={pending.reload} />
      <Proposals rows={pending.data.proposals} write={write} onDone={pending.reload} />
    </div>
  );
}

/** “被巡视单位 · 某某集团 · 整顿说明” */
function useRecordName() {
  const vocab = useVocab();
  return (entity: string, id: string, label: string | null) => `${vocab.table(entity)} · ${label ?? shortId(id)}`;
}

function Conflicts({ rows, write, onDone }: { rows: Conflict[]; write: boolean; onDone(): void }) {
  const { t } = useTranslation('exchange');
  const { message } = App.useApp();
  const explain = useExchangeError();
  const vocab = useVocab();
  const value = useValueText();
  const recordName = useRecordName();
  const [busy, setBusy] = useState<string | null>(null);

  async function use(c: Conflict, head: number) {
    const key = `${c.entityId}|${c.field}|${head}`;
    setBusy(key);
    try {
      await call('conflicts:resolve', { entityId: c.entityId, field: c.field, head });
      void message.success(t('conflicts.resolved', { office: c.heads[head]!.officeName ?? shortId(c.heads[head]!.office) }));
      onDone();
    } catch (e) {
      void message.error(explain(e).text);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card size="small" className="xz-exchange-card" data-testid="conflicts"
      title={<h2 className="xz-card-h2">{t('conflicts.title')}</h2>}
      extra={<Typography.Text type="secondary" data-testid="conflict-count">{t('conflicts.count', { n: rows.length })}</Typography.Text>}>
      <Typography.Paragraph type="secondary">{t('conflicts.intro')}</Typography.Paragraph>
      {rows.length === 0 ? <EmptyState hint={t('conflicts.empty')} /> : rows.map((c) => {
        const field = vocab.field(c.field);
        return (
          <section key={`${c.entityId}|${c.field}`} className="xz-exchange-conflict" data-testid="conflict" aria-label={`${recordName(c.entity, c.entityId, c.label)} · ${field}`}>
            <h3 className="xz-exchange-h3">
              {recordName(c.entity, c.entityId, c.label)} · <span data-testid="conflict-field">{field}</span>
              <Typography.Text type="secondary" className="xz-exchange-since"> {t('conflicts.since', { at: minute(c.since) })}</Typography.Text>
            </h3>
            <Table<Head & { index: number }>
              size="small" pagination={false} rowKey="index" dataSource={c.heads.map((h, index) => ({ ...h, index }))}
              columns={[
                {
                  title: t('conflicts.col.value'), key: 'value', render: (_, h) => (
                    <Space size={6} wrap>
                      <ValueCell text={value(c.field, h.value)} strong={h.shown} testId="head-value" />
                      {h.shown && <Tag color="blue" data-testid="head-shown">{t('conflicts.shown')}</Tag>}
                    </Space>
                  ),
                },
                { title: t('conflicts.col.office'), key: 'office', width: 220, render: (_, h) => h.officeName ?? shortId(h.office) },
                { title: t('conflicts.col.at'), key: 'at', width: 140, render: (_, h) => <span className="xz-nowrap">{minute(h.at)}</span> },
                ...(write ? [{
                  title: t('conflicts.col.ops'), key: 'ops', width: 120, render: (_: unknown, h: Head & { index: number }) => (
                    <Button size="small" icon={<CheckOutlined />} loading={busy === `${c.entityId}|${c.field}|${h.index}`} disabled={busy !== null}
                      aria-label={t('conflicts.useOf', { office: h.officeName ?? shortId(h.office), field })} onClick={() => void use(c, h.index)}>
                      {t('conflicts.use')}
                    </Button>
                  ),
                }] : []),
              ]}
            />
          </section>
        );
      })}
    </Card>
  );
}

function Proposals({ rows, write, onDone }: { rows: Proposal[]; write: boolean; onDone(): void }) {
  const { t } = useTranslation('exchange');
  const { t: tc } = useTranslation();
  const { message, modal } = App.useApp();
  const explain = useExchangeError();
  const vocab = useVocab();
  const value = useValueText();
  const recordName = useRecordName();
  const [ask, reasonHolder] = useReasonPrompt();
  const open = rows.filter((p) => p.status === 'pending');
  const decided = rows.length - open.length;

  function accept(p: Proposal) {
    const record = recordName(p.entity, p.entityId, p.label);
    const field = vocab.field(p.field);
    modal.confirm({
      title: t('proposals.acceptTitle'), content: t('proposals.acceptText', { record, field, value: value(p.field, p.proposed) }),
      okText: t('proposals.accept'), cancelText: tc('actions.cancel'),
      onOk: async () => {
        try {
          await call('proposals:accept', { id: p.id });
          void message.success(t('proposals.accepted'));
          onDone();
        } catch (e) {
          void message.error(explain(e).text);
        }
      },
    });
  }

  function reject(p: Proposal) {
    ask({
      title: t('proposals.rejectTitle'), label: t('proposals.rejectReason'), hint: t('proposals.rejectHint'), placeholder: t('proposals.rejectPlaceholder'),
      okText: t('proposals.rejectTitle'), testId: 'reject-proposal',
      onSubmit: async (note) => {
        await call('proposals:reject', { id: p.id, note });
        void message.success(t('proposals.rejected'));
        onDone();
      },
    });
  }

  return (
    <Card size="small" className="xz-exchange-card" data-testid="proposals"
      title={<h2 className="xz-card-h2">{t('proposals.title')}</h2>}
      extra={<Typography.Text type="secondary" data-testid="proposal-count">{t('proposals.count', { n: open.length })}</Typography.Text>}>
      <Typography.Paragraph type="secondary">{t('proposals.intro')}</Typography.Paragraph>
      <Table<Proposal>
        size="small" rowKey="id" pagination={false} dataSource={open} data-testid="proposal-table"
        locale={{ emptyText: <EmptyState hint={t('proposals.empty')} /> }}
        columns={[
          { title: t('proposals.col.record'), key: 'record', render: (_, p) => <ValueCell text={recordName(p.entity, p.entityId, p.label)} /> },
          { title: t('proposals.col.field'), key: 'field', width: 110, render: (_, p) => vocab.field(p.field) },
          { title: t('proposals.col.current'), key: 'current', render: (_, p) => <ValueCell text={value(p.field, p.current)} /> },
          { title: t('proposals.col.proposed'), key: 'proposed', render: (_, p) => <ValueCell text={value(p.field, p.proposed)} strong /> },
          { title: t('proposals.col.office'), key: 'office', width: 180, render: (_, p) => p.officeName ?? shortId(p.office) },
          { title: t('proposals.col.at'), key: 'at', width: 130, render: (_, p) => <span className="xz-nowrap">{minute(p.at)}</span> },
          ...(write ? [{
            title: t('proposals.col.ops'), key: 'ops', width: 150, render: (_: unknown, p: Proposal) => {
              const names = { record: recordName(p.entity, p.entityId, p.label), field: vocab.field(p.field) };
              // Only an office that owns the field decides (the others see the proposal travel on).
              if (!p.mine) return <Typography.Text type="secondary" data-testid="proposal-not-mine">{t('proposals.notMine')}</Typography.Text>;
              return (
                <Space size={0}>
                  <Button size="small" type="link" icon={<CheckOutlined />} aria-label={t('proposals.acceptOf', names)} onClick={() => accept(p)}>{t('proposals.accept')}</Button>
                  <Button size="small" type="link" danger icon={<CloseOutlined />} aria-label={t('proposals.rejectOf', names)} onClick={() => reject(p)}>{t('proposals.reject')}</Button>
                </Space>
              );
            },
          }] : []),
        ]}
      />
      {decided > 0 && <Typography.Paragraph type="secondary" className="xz-exchange-note">{t('proposals.decided', { n: decided })}</Typography.Paragraph>}
      {reasonHolder}
    </Card>
  );
}
