import { CheckOutlined, CloseOutlined, PrinterOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, Form, Input, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { useReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { useDialog } from '../../components/forms/useDialog.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useSession } from '../../core/session.js';
import { RightsPrint, type PrintSection } from './RightsPrint.js';
import type { Role } from './vocab.js';

type Report = Awaited<ResultOf<'rights:report'>>;
type Holder = Report['holders'][number];
type Pending = Report['pending'][number];
type Event = Report['history'][number];
type Person = { displayName: string; username: string } | null;

const H2 = { fontSize: 15, margin: '16px 0 8px' } as const;
/** A moment as the screen shows it (2024-03-29 09:30) and as paper does (2024年3月29日 09:30). */
const time = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
const paperTime = (iso: string | null) => (iso ? dayjs(iso).format('YYYY年M月D日 HH:mm') : '—');
const who = (p: Person) => p?.displayName ?? '—';
/** A section with nothing in it: one line that says so (and what to do), not a page-high picture. */
const None = ({ hint }: { hint: string }) => <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={hint} style={{ margin: '4px 0 8px' }} />;

/**
 * 权限报告 (anyone with 'audit.read'): who holds the 问题线索查看权限 since when, proposed and
 * confirmed by whom; the proposals waiting for a 负责人 (确认 / 驳回 here, never by the grantee or
 * the proposer: two people); every step of the right's history. 打印 (and Ctrl+P) prints it.
 */
export function RightsTab() {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const s = useSession();
  const { message, modal } = App.useApp();
  const report = useQuery(() => call('rights:report'), []);
  const decide = useDialog<{ grant: Pending; mode: 'confirm' | 'reject' }>();
  const [ask, reasonHolder] = useReasonPrompt();
  const [printing, setPrinting] = useState(0);
  const stopPrinting = useCallback(() => setPrinting(0), []);

  // Ctrl+P and the 文件 menu print the report, not the screen.
  useWindowEvent('xz:print', (e) => {
    if (!report.data) return;
    e.preventDefault();
    setPrinting((n) => n + 1);
  });

  if (report.error) return <ErrorState error={report.error} onRetry={report.reload} />;
  if (!report.data) return <Loading />;
  const r = report.data;
  const me = s.user.id;
  const leader = s.can('rights.confirm');

  function revoke(h: Holder) {
    ask({
      title: t('revokeTitle', { name: h.user.displayName }), label: t('revokeReason'), hint: t('revokeHint'),
      okText: t('revokeOk'), doneText: t('revoked', { name: h.user.displayName }), testId: 'revoke-clue',
      onSubmit: async (reason) => {
        await call('rights:revokeClue', { userId: h.user.id, reason });
        report.reload();
      },
    });
  }

  function withdraw(g: Pending) {
    modal.confirm({
      title: t('withdrawTitle', { name: g.user.displayName }), content: t('withdrawContent'), okText: t('withdrawGrant'), cancelText: tc('actions.cancel'),
      onOk: async () => {
        await call('rights:rejectClue', { grantId: g.grantId });
        void message.success(t('withdrawn', { name: g.user.displayName }));
        report.reload();
      },
    });
  }

  /** Why this user may not decide on this proposal (the engine's two-person rule), or null. */
  const blocked = (g: Pending): string | null => (g.user.id === me ? t('rights.notGrantee') : g.grantedBy?.id === me ? t('rights.notGranter') : null);

  function pendingOps(g: Pending): ReactNode {
    const of = (label: string) => t('actionOf', { action: label, name: g.user.displayName });
    if (leader) {
      const why = blocked(g);
      const hintId = `xz-why-${g.grantId}`;
      const buttons = (
        <Space size={4}>
          <Button size="small" type="primary" icon={<CheckOutlined />} disabled={!!why} aria-describedby={why ? hintId : undefined}
            aria-label={of(t('rights.confirm'))} onClick={() => decide.show({ grant: g, mode: 'confirm' })}>{t('rights.confirm')}</Button>
          <Button size="small" danger icon={<CloseOutlined />} disabled={!!why} aria-describedby={why ? hintId : undefined}
            aria-label={of(t('rights.reject'))} onClick={() => decide.show({ grant: g, mode: 'reject' })}>{t('rights.reject')}</Button>
        </Space>
      );
      if (!why) return buttons;
      return (
        <Space direction="vertical" size={2}>
          <Tooltip title={why}><span style={{ display: 'inline-block', cursor: 'not-allowed' }}>{buttons}</span></Tooltip>
          <Typography.Text type="secondary" id={hintId} style={{ fontSize: 12 }}>{why}</Typography.Text>
        </Space>
      );
    }
    if (g.grantedBy?.id === me) {
      return <Button size="small" type="link" onClick={() => withdraw(g)} aria-label={of(t('withdrawGrant'))}>{t('withdrawGrant')}</Button>;
    }
    return <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rights.onlyLeader')}</Typography.Text>;
  }

  const holderCols = [
    { title: t('rights.name'), width: 11, text: (h: Holder) => h.user.displayName },
    { title: t('username'), width: 11, text: (h: Holder) => h.user.username },
    { title: t('role'), width: 8, text: (h: Holder) => tc(`roles.${h.user.role as Role}`) },
    { title: t('rights.since'), width: 14, text: (h: Holder) => paperTime(h.since) },
    { title: t('rights.grantedBy'), width: 11, text: (h: Holder) => who(h.grantedBy) },
    { title: t('rights.confirmedBy'), width: 11, text: (h: Holder) => who(h.confirmedBy) },
    { title: t('rights.how'), width: 14, text: (h: Holder) => (h.direct ? t('rights.howDirect') : t('rights.howTwo')) },
    { title: t('rights.reason'), width: 20, text: (h: Holder) => h.reason ?? '—' },
  ];
  const pendingCols = [
    { title: t('rights.grantee'), width: 18, text: (g: Pending) => t('person', { name: g.user.displayName, username: g.user.username }) },
    { title: t('rights.reason'), width: 38, text: (g: Pending) => g.reason ?? t('rights.noReason') },
    { title: t('rights.proposedBy'), width: 14, text: (g: Pending) => who(g.grantedBy) },
    { title: t('rights.proposedAt'), width: 16, text: (g: Pending) => paperTime(g.grantedAt) },
  ];
  const historyCols = [
    { title: t('rights.at'), width: 15, text: (e: Event) => paperTime(e.at) },
    { title: t('rights.action'), width: 12, text: (e: Event) => t(`rights.actions.${e.action}`) },
    { title: t('rights.user'), width: 17, text: (e: Event) => t('person', { name: e.user.displayName, username: e.user.username }) },
    { title: t('rights.by'), width: 12, text: (e: Event) => who(e.by) },
    { title: t('rights.note'), width: 44, text: (e: Event) => e.note ?? '—' },
  ];

  const office = s.office?.name ?? '';
  const printSections: PrintSection[] = [
    { title: t('rights.section', { title: t('rights.holders'), n: r.holders.length }), empty: t('rights.holdersEmpty'), columns: holderCols, rows: r.holders.map((h) => holderCols.map((c) => c.text(h))) },
    { title: t('rights.section', { title: t('rights.pending'), n: r.pending.length }), empty: t('rights.pendingEmpty'), columns: pendingCols, rows: r.pending.map((g) => pendingCols.map((c) => c.text(g))) },
    { title: t('rights.section', { title: t('rights.history'), n: r.history.length }), empty: t('rights.historyEmpty'), columns: historyCols, rows: r.history.map((e) => historyCols.map((c) => c.text(e))) },
  ];
  const counts = t('rights.counts', { holders: r.holders.length, pending: r.pending.length, history: r.history.length });

  return (
    <div data-testid="rights">
      <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start', marginBottom: 8 }}>
        <Alert type="info" showIcon title={t('rights.intro')} style={{ flex: 1 }} />
        <Space>
          <Button size="small" icon={<ReloadOutlined />} onClick={report.reload}>{tc('actions.refresh')}</Button>
          <Button size="small" icon={<PrinterOutlined />} onClick={() => setPrinting((n) => n + 1)} aria-keyshortcuts="Control+P" data-testid="rights-print-button">
            {tc('actions.print')}
          </Button>
        </Space>
      </div>
      <Typography.Text type="secondary">{counts}</Typography.Text>

      <section aria-labelledby="xz-rights-holders">
        <Typography.Title level={2} style={H2} id="xz-rights-holders">{t('rights.section', { title: t('rights.holders'), n: r.holders.length })}</Typography.Title>
        {r.holders.length === 0 ? <None hint={t('rights.holdersEmpty')} /> : (
          <Table<Holder>
            size="small" rowKey={(h) => h.user.id} pagination={false} dataSource={r.holders} data-testid="rights-holders"
            columns={[
              { title: t('rights.name'), key: 'name', width: 100, render: (_, h) => <>{h.user.displayName}{!h.user.active && <Tag style={{ marginInlineStart: 4 }}>{t('disabled')}</Tag>}</> },
              { title: t('username'), key: 'username', width: 110, render: (_, h) => h.user.username },
              { title: t('role'), key: 'role', width: 70, render: (_, h) => tc(`roles.${h.user.role}`) },
              { title: t('rights.since'), key: 'since', width: 130, render: (_, h) => time(h.since) },
              { title: t('rights.grantedBy'), key: 'grantedBy', width: 90, render: (_, h) => who(h.grantedBy) },
              { title: t('rights.confirmedBy'), key: 'confirmedBy', width: 90, render: (_, h) => who(h.confirmedBy) },
              {
                title: t('rights.how'), key: 'how', width: 150,
                render: (_, h) => (h.direct ? <Tag color="gold">{t('rights.howDirect')}</Tag> : <Tag color="green">{t('rights.howTwo')}</Tag>),
              },
              { title: t('rights.reason'), key: 'reason', ellipsis: true, render: (_, h) => h.reason ?? '—' },
              ...(s.can('rights.revoke') ? [{
                title: t('ops'), key: 'ops', width: 130,
                render: (_: unknown, h: Holder) => (h.user.id === me
                  ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rights.selfRevoke')}</Typography.Text>
                  : <Button size="small" type="link" danger icon={<StopOutlined />} onClick={() => revoke(h)} aria-label={t('actionOf', { action: t('revokeClue'), name: h.user.displayName })}>{t('revokeClue')}</Button>),
              }] : []),
            ]}
          />
        )}
      </section>

      <section aria-labelledby="xz-rights-pending">
        <Typography.Title level={2} style={H2} id="xz-rights-pending">{t('rights.section', { title: t('rights.pending'), n: r.pending.length })}</Typography.Title>
        {r.pending.length === 0 ? <None hint={t('rights.pendingEmpty')} /> : (
          <Table<Pending>
            size="small" rowKey="grantId" pagination={false} dataSource={r.pending} data-testid="rights-pending"
            columns={[
              ...pendingCols.map((c, i) => ({
                title: c.title, key: String(i), width: i === 1 ? undefined : 140,
                render: (_: unknown, g: Pending) => (i === 3 ? time(g.grantedAt) : c.text(g)),
              })),
              { title: t('ops'), key: 'ops', width: 260, render: (_, g) => pendingOps(g) },
            ]}
          />
        )}
      </section>

      <section aria-labelledby="xz-rights-history">
        <Typography.Title level={2} style={H2} id="xz-rights-history">{t('rights.section', { title: t('rights.history'), n: r.history.length })}</Typography.Title>
        {r.history.length === 0 ? <None hint={t('rights.historyEmpty')} /> : (
          <Table<Event>
            size="small" rowKey={(e) => `${e.at}-${e.action}-${e.grantId ?? e.user.id}`} dataSource={r.history} data-testid="rights-history"
            pagination={r.history.length > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false } : false}
            columns={historyCols.map((c, i) => ({
              title: c.title, key: String(i), width: i === 4 ? undefined : [130, 100, 150, 90][i],
              render: (_: unknown, e: Event) => (i === 0 ? time(e.at) : i === 1 ? <Tag>{c.text(e)}</Tag> : c.text(e)),
            }))}
          />
        )}
      </section>

      {decide.dialog && (
        <DecideDialog
          grant={decide.dialog.grant} mode={decide.dialog.mode} open={decide.shown} onClose={decide.hide} onDone={report.reload}
        />
      )}
      {reasonHolder}
      {printing > 0 && (
        <RightsPrint
          key={printing} title={t('rights.printTitle', { office })} onDone={stopPrinting} sections={printSections}
          meta={[t('rights.printDate', { d: dayjs(s.today).format(tc('print.dateFormat')) }), counts]}
        />
      )}
    </div>
  );
}

/** 确认 (an optional note) or 驳回 (a reason) of a proposal, by a 负责人. */
function DecideDialog(p: { grant: Pending; mode: 'confirm' | 'reject'; open: boolean; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('settings');
  const { grant: g, mode } = p;
  const name = g.user.displayName;
  const confirm = mode === 'confirm';
  const label = confirm ? t('rights.confirmNote') : t('rights.rejectReason');
  return (
    <FormShell<{ note?: string }>
      open={p.open} onClose={p.onClose} size={520} testId={`rights-${mode}`}
      title={confirm ? t('rights.confirmTitle', { name }) : t('rights.rejectTitle', { name })}
      okText={confirm ? t('rights.confirmOk') : t('rights.rejectOk')} danger={!confirm}
      doneText={confirm ? t('rights.confirmed', { name }) : t('rights.rejected', { name })}
      onSubmit={async (v) => {
        const note = v.note?.trim() || null;
        if (confirm) await call('rights:confirmClue', { grantId: g.grantId, note });
        else await call('rights:rejectClue', { grantId: g.grantId, note });
        p.onDone();
      }}
    >
      <Alert
        type={confirm ? 'warning' : 'info'} showIcon style={{ marginBottom: 12 }}
        title={t('rights.confirmIntro', { by: who(g.grantedBy), name: t('person', { name, username: g.user.username }), reason: g.reason ?? t('rights.noReason') })}
      />
      <Form.Item
        name="note" label={label}
        rules={confirm ? [] : [{ required: true, whitespace: true, message: t('required', { field: label }) }]}
      >
        <Input.TextArea rows={3} maxLength={200} showCount autoFocus />
      </Form.Item>
    </FormShell>
  );
}
