import { DeleteOutlined, EditOutlined, MoreOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Breadcrumb, Button, Card, Dropdown, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { navigate } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { EmptyState, ErrorState, Light, Loading } from '../../components/States.js';
import { PageTitle } from '../../components/PageTitle.js';
import { ClockCell } from './ClockCell.js';
import { DeletePrompt } from './DeletePrompt.js';
import { RoundForm } from './RoundForm.js';
import { roundsChanged } from './RoundList.js';
import { day, type InspectionRow, type TeamRow, type UnitClocks } from './shared.js';
import { AddUnitForm, ChangeTeamForm, TeamForm } from './TeamForms.js';
import { ROUND_CLOCK_KINDS } from '../../../../db/domain/clock-kinds.js';
import { ConflictBanner, ConflictTag } from '../exchange/ConflictFlag.js';

type Dialog =
  | { kind: 'round' }
  | { kind: 'team'; team: TeamRow | null }
  | { kind: 'deleteTeam'; team: TeamRow }
  | { kind: 'unit' }
  | { kind: 'changeTeam'; inspection: InspectionRow }
  | { kind: 'removeUnit'; inspection: InspectionRow };

function TaskCounts({ c }: { c: UnitClocks['tasks'] | undefined }) {
  const { t } = useTranslation('rounds');
  if (!c || c.total === 0) return <span className="xz-muted">{t('tasks.none')}</span>;
  return (
    <Space size={2} wrap>
      <span>{t('tasks.total', { n: c.total })}</span>
      {c.red > 0 && <Light light="red" word={t('tasks.red', { n: c.red })} />}
      {c.yellow > 0 && <Light light="yellow" word={t('tasks.yellow', { n: c.yellow })} />}
      {c.done > 0 && <Light light="done" word={t('tasks.done', { n: c.done })} />}
    </Space>
  );
}

/** The round: its teams and its inspected units with their statutory clock lights. */
export function RoundPage({ roundId }: { roundId: string }) {
  const { t } = useTranslation('rounds');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const s = useSession();
  const write = s.can('ledger.write');
  const [tick, setTick] = useState(0);
  const round = useQuery(() => call('rounds:get', { id: roundId }), [roundId, tick]);
  const teams = useQuery(() => call('teams:list', { roundId }), [roundId, tick]);
  const insps = useQuery(() => call('inspections:list', { roundId }), [roundId, tick]);
  const clocks = useQuery(() => call('clocks:round', { roundId }), [roundId, tick]);
  const anyUnits = useQuery(() => call('units:list', { limit: 1 }), [tick]);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const reload = () => setTick((x) => x + 1);
  const close = () => setDialog(null);

  useWindowEvent('xz:new', () => {
    if (write && !dialog && round.data) setDialog({ kind: 'unit' });
  });

  const byInspection = useMemo(() => new Map((clocks.data?.units ?? []).map((u) => [u.inspectionId, u])), [clocks.data]);

  if (round.error) return <ErrorState error={round.error} onRetry={reload} />;
  if (!round.data) return <Loading />;
  const r = round.data;
  const teamRows = teams.data ?? [];
  const unitRows = insps.data ?? [];
  const kinds = (clocks.data?.units[0]?.clocks ?? []).map((c) => c.kind);
  const clockKinds = kinds.length > 0 ? kinds : ROUND_CLOCK_KINDS;
  const nextNumber = teamRows.reduce((m, x) => Math.max(m, x.number), 0) + 1;
  const open = (i: InspectionRow) => navigate('rounds', roundId, i.unitId);

  return (
    <div className="xz-page" data-testid="round-page">
      <Breadcrumb items={[{ title: <a href="#/rounds" onClick={() => navigate('rounds')}>{t('round.back')}</a> }, { title: r.name }]} />
      <div className="xz-rounds-head">
        <div className="xz-rounds-title">
          <PageTitle data-testid="round-name">{r.name}</PageTitle>
          <Space size={12} wrap>
            <span>
              <Tag>{t(`levels.${r.level}`)}</Tag>
              <Tag>{t(`forms.${r.form}`)}</Tag>
              <Tag>{t(`kinds.${r.kind}`)}</Tag>
            </span>
            <Typography.Text type="secondary">{t('round.dates', { m: day(r.mobilisedOn), e: day(r.enteredOn), f: day(r.feedbackOn) })}</Typography.Text>
            <Typography.Text type="secondary">{t('round.ruleSet', { name: r.ruleSetName })}</Typography.Text>
          </Space>
        </div>
        {write && <Button icon={<EditOutlined />} onClick={() => setDialog({ kind: 'round' })}>{t('editRound')}</Button>}
      </div>
      <ConflictBanner table="rounds" id={r.id} version={tick} />

      <Card
        size="small" className="xz-card" data-testid="teams"
        title={<Space>{t('round.teams')}<Typography.Text type="secondary">{t('round.teamCount', { n: teamRows.length })}</Typography.Text></Space>}
        extra={write && <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'team', team: null })}>{t('round.addTeam')}</Button>}
      >
        {teams.error ? <ErrorState error={teams.error} onRetry={reload} /> : teamRows.length === 0 && !teams.loading ? (
          <Typography.Text type="secondary">{write ? t('round.noTeams') : t('round.noTeamsReadonly')}</Typography.Text>
        ) : (
          <Table<TeamRow>
            size="small" rowKey="id" dataSource={teamRows} pagination={false} loading={teams.loading} scroll={{ y: 150 }} sticky
            columns={[
              { title: t('teamCol.number'), dataIndex: 'number', width: 64, align: 'right' },
              { title: t('teamCol.name'), dataIndex: 'name', ellipsis: true },
              { title: t('teamCol.leader'), dataIndex: 'leaderName', ellipsis: true, render: (v: string | null) => v ?? '—' },
              { title: t('teamCol.units'), dataIndex: 'unitCount', width: 90, align: 'right', render: (n: number) => t('round.teamUnits', { n }) },
              ...(write ? [{
                title: t('teamCol.actions'), key: 'a', width: 132,
                render: (_: unknown, x: TeamRow) => (
                  <Space size={4}>
                    <Button size="small" type="link" onClick={() => setDialog({ kind: 'team', team: x })}>{tc('actions.edit')}</Button>
                    <Button size="small" type="link" danger onClick={() => setDialog({ kind: 'deleteTeam', team: x })}>{tc('actions.delete')}</Button>
                  </Space>
                ),
              }] : []),
            ]}
          />
        )}
      </Card>

      <Card
        size="small" className="xz-card" data-testid="units"
        title={<Space>{t('round.units')}<Typography.Text type="secondary">{t('round.unitCount', { n: unitRows.length })}</Typography.Text></Space>}
        extra={write && <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'unit' })}>{t('round.addUnit')}</Button>}
      >
        {insps.error ? <ErrorState error={insps.error} onRetry={reload} /> : unitRows.length === 0 && !insps.loading ? (
          <EmptyState hint={write ? t('round.noUnits') : t('round.noUnitsReadonly')} />
        ) : (
          <Table<InspectionRow>
            size="small" bordered sticky rowKey="id" dataSource={unitRows} pagination={false} loading={insps.loading || clocks.loading}
            scroll={{ x: 1090 }} rowClassName={() => 'xz-clickable'}
            onRow={(i) => ({ onClick: () => open(i), 'data-testid': `unit-row-${i.unitId}` } as HTMLAttributes<HTMLElement>)}
            columns={[
              {
                title: t('unitCol.name'), key: 'name', fixed: 'left', width: 210,
                render: (_: unknown, i) => (
                  <div className="xz-unit-cell">
                    <Typography.Link className="xz-ellipsis" title={i.unitName} href={`#/rounds/${encodeURIComponent(roundId)}/${encodeURIComponent(i.unitId)}`} onClick={(e) => { e.preventDefault(); e.stopPropagation(); open(i); }}>{i.unitName}</Typography.Link>
                    <div className="xz-muted xz-ellipsis">
                      {t(`sectors.${i.unitSector}`)} · {i.teamName ?? t('addUnit.noTeam')}
                      {i.underOverhaul && <Tag color="volcano" className="xz-small-tag">{t('unit.overhaul')}</Tag>}
                      {i.secondRoundFrom && <Tag color="red" className="xz-small-tag">{t('unit.secondRound')}</Tag>}
                      {i.conflicted && <ConflictTag className="xz-small-tag" />}
                    </div>
                  </div>
                ),
              },
              { title: t('unitCol.feedback'), dataIndex: 'firstFeedbackOn', width: 92, render: day },
              ...clockKinds.map((kind, idx) => ({
                title: <span title={t(`clockFull.${kind}`)}>{t(`clocks.${kind}`)}</span>, key: kind, width: 108,
                render: (_: unknown, i: InspectionRow) => {
                  const c = byInspection.get(i.id)?.clocks[idx];
                  return c ? <ClockCell c={c} /> : null;
                },
              })),
              { title: t('unitCol.tasks'), key: 'tasks', width: 130, render: (_: unknown, i: InspectionRow) => <TaskCounts c={byInspection.get(i.id)?.tasks} /> },
              ...(write ? [{
                title: <span className="xz-sr-only">{tc('a11y.actions')}</span>, key: 'a', width: 40, fixed: 'right' as const,
                render: (_: unknown, i: InspectionRow) => (
                  <span onClick={(e) => e.stopPropagation()}>
                    <Dropdown
                      trigger={['click']}
                      menu={{
                        items: [
                          { key: 'team', icon: <EditOutlined />, label: t('round.changeTeam') },
                          { key: 'remove', icon: <DeleteOutlined />, danger: true, label: t('round.remove') },
                        ],
                        onClick: ({ key, domEvent }) => {
                          domEvent.stopPropagation();
                          setDialog(key === 'team' ? { kind: 'changeTeam', inspection: i } : { kind: 'removeUnit', inspection: i });
                        },
                      }}
                    >
                      <Button size="small" type="text" icon={<MoreOutlined />} aria-label={tc('actions.more')} />
                    </Dropdown>
                  </span>
                ),
              }] : []),
            ]}
          />
        )}
      </Card>

      {dialog?.kind === 'round' && (
        <RoundForm round={r} onClose={close} onSaved={() => { void message.success(t('updated')); reload(); roundsChanged(); }} />
      )}
      {dialog?.kind === 'team' && (
        <TeamForm roundId={roundId} team={dialog.team} nextNumber={nextNumber} onClose={close} onSaved={() => { void message.success(t('round.teamSaved')); reload(); }} />
      )}
      {dialog?.kind === 'deleteTeam' && (
        <DeletePrompt
          name={dialog.team.name} onClose={close}
          onDelete={async (reason) => { await call('teams:delete', { id: dialog.team.id, reason }); void message.success(t('deleted')); reload(); }}
        />
      )}
      {dialog?.kind === 'unit' && (
        <AddUnitForm
          roundId={roundId} teams={teamRows} inspections={unitRows} anyUnits={(anyUnits.data?.items.length ?? 0) > 0}
          onClose={close} onSaved={() => { void message.success(t('round.unitAdded')); reload(); }}
        />
      )}
      {dialog?.kind === 'changeTeam' && (
        <ChangeTeamForm inspection={dialog.inspection} teams={teamRows} onClose={close} onSaved={() => { void message.success(t('round.teamChanged')); reload(); }} />
      )}
      {dialog?.kind === 'removeUnit' && (
        <DeletePrompt
          name={dialog.inspection.unitName} onClose={close}
          onDelete={async (reason) => { await call('inspections:delete', { id: dialog.inspection.id, reason }); void message.success(t('deleted')); reload(); }}
        />
      )}
    </div>
  );
}
