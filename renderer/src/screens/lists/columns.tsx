/**
 * Columns of the problem and task lists, after the printed ledger (DOMAIN.md "Printed ledgers"):
 * 序号 | 问题类别 | 问题描述 | 整改措施 | 责任领导 | 责任部门 | 责任人 | 整改时限 | 状态. User text is
 * rendered as React text nodes only (never as HTML).
 */
import { Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import type { ProblemListRow } from '../../../../db/queries/problem-list.js';
import type { TaskListRow } from '../../../../db/queries/task-list.js';
import type { ListColumn } from '../../components/lists/ListTable.js';
import { rowLight, StatusLight } from '../../components/lists/lights.js';

const day = (iso: string) => dayjs(iso).format('YYYY-MM-DD');
const time = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

export function problemColumns(t: TFunction<'problems'>, warnDays: number): ListColumn<ProblemListRow>[] {
  return [
    { key: 'seq', title: t('col.seq'), width: 64, sortField: 'seq', align: 'right', render: (r) => r.seq },
    { key: 'unit', title: t('col.unit'), width: 150, render: (r) => r.unitName, title_: (r) => r.unitName ?? undefined },
    { key: 'category', title: t('col.category'), width: 130, render: (r) => r.categoryName, title_: (r) => r.categoryName ?? undefined },
    {
      key: 'description', title: t('col.description'), width: 260,
      render: (r) => <span data-testid="cell-description">{r.description}</span>, title_: (r) => r.description,
    },
    { key: 'key', title: t('col.key'), width: 56, align: 'center', render: (r) => (r.isKey ? <Tag color="red">{t('keyTag')}</Tag> : null) },
    { key: 'source', title: t('col.source'), width: 96, render: (r) => t(`sources.${r.source}`, { defaultValue: r.source }) },
    { key: 'tasks', title: t('col.tasks'), width: 64, align: 'center', render: (r) => t('tasksDone', { closed: r.closedTaskCount, total: r.taskCount }) },
    { key: 'deadline', title: t('col.deadline'), width: 104, sortField: 'deadline', render: (r) => r.deadline ?? '—' },
    {
      key: 'status', title: t('col.status'), width: 116,
      render: (r) => (
        <StatusLight
          colour={rowLight({ closed: r.status === 'closed', overdue: r.overdue, deadline: r.deadline, warnDays })}
          word={t(`problemStatus.${r.status}`)}
        />
      ),
    },
    { key: 'updatedAt', title: t('col.updatedAt'), width: 104, sortField: 'updatedAt', render: (r) => day(r.updatedAt), title_: (r) => time(r.updatedAt) },
  ];
}

export function taskColumns(t: TFunction<'problems'>, warnDays: number): ListColumn<TaskListRow>[] {
  return [
    { key: 'seq', title: t('col.seq'), width: 68, align: 'right', render: (r) => `${r.problemSeq ?? '?'}-${r.seq}` },
    { key: 'unit', title: t('col.unit'), width: 140, render: (r) => r.unitName, title_: (r) => r.unitName ?? undefined },
    {
      key: 'measures', title: t('col.measures'), width: 220,
      render: (r) => <span data-testid="cell-measures">{r.measures}</span>, title_: (r) => r.measures,
    },
    { key: 'leader', title: t('col.leader'), width: 84, render: (r) => r.responsibleLeader, title_: (r) => r.responsibleLeader ?? undefined },
    { key: 'department', title: t('col.department'), width: 112, render: (r) => r.responsibleDepartment, title_: (r) => r.responsibleDepartment ?? undefined },
    { key: 'person', title: t('col.person'), width: 76, render: (r) => r.responsiblePerson, title_: (r) => r.responsiblePerson ?? undefined },
    { key: 'term', title: t('col.term'), width: 104, render: (r) => t(`terms.${r.term}`), title_: (r) => t(`terms.${r.term}`) },
    {
      key: 'deadline', title: t('col.deadline'), width: 112, sortField: 'currentDeadline',
      render: (r) => (r.extended
        ? <Tooltip title={t('extended', { d: r.deadline })}><span>{r.currentDeadline}<Tag className="xz-cell-sub" color="blue">{t('extendedMark')}</Tag></span></Tooltip>
        : r.currentDeadline),
    },
    {
      key: 'status', title: t('col.status'), width: 116,
      render: (r) => (
        <StatusLight
          colour={rowLight({ closed: r.status === 'closed', overdue: r.overdue, deadline: r.currentDeadline, warnDays })}
          word={t(`taskStatus.${r.status}`)}
        />
      ),
    },
    { key: 'updatedAt', title: t('col.updatedAt'), width: 104, sortField: 'updatedAt', render: (r) => day(r.updatedAt), title_: (r) => time(r.updatedAt) },
  ];
}
