import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { navigate } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { PageTitle } from '../../components/PageTitle.js';
import { RoundForm } from './RoundForm.js';
import { DeletePrompt } from './DeletePrompt.js';
import { day, type RoundRow } from './shared.js';
import { conflictTagOf } from '../exchange/ConflictFlag.js';

/** Tell the shell's round selector that the list of rounds changed (it may listen and reload). */
export function roundsChanged(): void {
  window.dispatchEvent(new Event('xz:rounds-changed'));
}

/** 巡视轮次: the list, 新建 (Ctrl+N), 编辑, 删除 with a reason. */
export function RoundList() {
  const { t } = useTranslation('rounds');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const s = useSession();
  const write = s.can('ledger.write');
  const rounds = useQuery(() => call('rounds:list', {}), []);
  const [editing, setEditing] = useState<RoundRow | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RoundRow | null>(null);

  useWindowEvent('xz:new', () => {
    if (write && !editing && !deleting) setEditing('new');
  });

  if (rounds.error) return <ErrorState error={rounds.error} onRetry={rounds.reload} />;
  if (rounds.loading && !rounds.data) return <Loading />;
  const rows = rounds.data ?? [];

  const saved = (r: RoundRow) => {
    void message.success(editing === 'new' ? t('created') : t('updated'));
    rounds.reload();
    roundsChanged();
    if (editing === 'new') navigate('rounds', r.id);
  };

  const forms = (
    <>
      {editing && <RoundForm round={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={saved} />}
      {deleting && (
        <DeletePrompt
          name={deleting.name} onClose={() => setDeleting(null)}
          onDelete={async (reason) => {
            await call('rounds:delete', { id: deleting.id, reason });
            void message.success(t('deleted'));
            rounds.reload();
            roundsChanged();
          }}
        />
      )}
    </>
  );

  const newButton = write && (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} title={t('newRoundKey')}>{t('newRound')}</Button>
  );

  if (rows.length === 0) {
    return (
      <div className="xz-page" data-testid="rounds">
        <PageTitle>{t('title')}</PageTitle>
        <EmptyState hint={write ? t('emptyRounds') : t('emptyRoundsReadonly')} action={newButton || undefined} />
        {forms}
      </div>
    );
  }

  return (
    <div className="xz-page" data-testid="rounds">
      <div className="xz-rounds-head">
        <PageTitle>{t('title')}</PageTitle>
        <Space>
          <Typography.Text type="secondary" data-testid="round-count">{t('rowCount', { n: rows.length })}</Typography.Text>
          {newButton}
        </Space>
      </div>
      <Table<RoundRow>
        size="small" bordered sticky rowKey="id" dataSource={rows} pagination={false} loading={rounds.loading}
        scroll={{ x: write ? 1162 : 1022 }}
        onRow={(r) => ({ onDoubleClick: () => navigate('rounds', r.id) })}
        columns={[
          {
            title: t('col.name'), dataIndex: 'name', ellipsis: true, width: 220,
            render: (_: unknown, r) => <>{conflictTagOf(r)}<Typography.Link href={`#/rounds/${encodeURIComponent(r.id)}`} onClick={() => navigate('rounds', r.id)}>{r.name}</Typography.Link></>,
          },
          { title: t('col.level'), dataIndex: 'level', width: 56, render: (v: string) => t(`levels.${v}`) },
          { title: t('col.form'), dataIndex: 'form', width: 64, render: (v: string) => t(`forms.${v}`) },
          { title: t('col.kind'), dataIndex: 'kind', width: 96, render: (v: string) => t(`kinds.${v}`) },
          { title: t('col.mobilisedOn'), dataIndex: 'mobilisedOn', width: 96, render: day },
          { title: t('col.enteredOn'), dataIndex: 'enteredOn', width: 96, render: day },
          { title: t('col.feedbackOn'), dataIndex: 'feedbackOn', width: 96, render: day },
          {
            title: t('col.ruleSet'), dataIndex: 'ruleSetName', ellipsis: true, width: 150,
            render: (_: unknown, r) => <span title={r.ruleSetName}>{r.ruleSetName}</span>,
          },
          { title: t('col.teams'), dataIndex: 'teamCount', width: 64, align: 'right' },
          { title: t('col.units'), dataIndex: 'unitCount', width: 84, align: 'right' },
          ...(write ? [{
            title: t('col.actions'), key: 'actions', width: 140,
            render: (_: unknown, r: RoundRow) => (
              <Space size={0}>
                <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(r)}>{tc('actions.edit')}</Button>
                <Button size="small" type="link" danger icon={<DeleteOutlined />} onClick={() => setDeleting(r)}>{tc('actions.delete')}</Button>
              </Space>
            ),
          }] : []),
        ]}
      />
      {forms}
    </div>
  );
}
