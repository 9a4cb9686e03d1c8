/**
 * Columns of the problem and task lists, after the printed ledger (DOMAIN.md "Printed ledgers"):
 * 序号 | 问题类别 | 问题描述 | 整改措施 | 责任领导 | 责任部门 | 责任人 | 整改时限 | 状态. User text is
 * rendered as React text nodes only (never as HTML). A row in conflict after an exchange import
 * carries the red 冲突 tag before its text; a ledger holding records of more than one office adds
 * a 来源单位 column (`origin`).
 */
import { Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import type { ProblemListRow } from '../../../../db/queries/problem-list.js';
import type { TaskListRow } from '../../../../db/queries/task-list.js';
import type { ListColumn } from '../../components/lists/ListTable.js';
import type { PrintColumn } from '../../components/print/PrintLedger.js';
import { rowLight, StatusLight } from '../../components/lists/Lights.js';
import { conflictTagOf } from '../exchange/ConflictFlag.js';

const day = (iso: string) => dayjs(iso).format('YYYY-MM-DD');
const time = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

/** 来源单位: the office that created the row (its id's end when this ledger does not know the office). */
function originColumn<R extends ProblemListRow | TaskListRow>(t: TFunction<'problems'>): ListColumn<R> {
  const name = (r: R) => r.originOfficeName ?? `…${r.originOfficeId.slice(-8)}`;
  return { key: 'origin', title: t('col.origin'), width: 150, render: (r) => <span data-testid="cell-origin">{name(r)}</span>, title_: name };
}

export function problemColumns(t: TFunction<'problems'>, warnDays: number, today: string, origin = false): ListColumn<ProblemListRow>[] {
  return [
    { key: 'seq', title: t('col.seq'), width: 64, sortField: 'seq', align: 'right', render: (r) => r.seq },
    { key: 'unit', title: t('col.unit'), width: 150, render: (r) => r.unitName, title_: (r) => r.unitName ?? undefined },
    ...(origin ? [originColumn<ProblemListRow>(t)] : []),
    { key: 'category', title: t('col.category'), width: 130, render: (r) => r.categoryName, title_: (r) => r.categoryName ?? undefined },
    {
      key: 'description', title: t('col.description'), width: 260,
      render: (r) => <>{conflictTagOf(r)}<span data-testid="cell-description">{r.description}</span></>, title_: (r) => r.description,
    },
    { key: 'key', title: t('col.key'), width: 56, align: 'center', render: (r) => (r.isKey ? <Tag color="red">{t('keyTag')}</Tag> : null) },
    { key: 'source', title: t('col.source'), width: 96, render: (r) => t(`sources.${r.source}`, { defaultValue: r.source }) },
    { key: 'tasks', title: t('col.tasks'), width: 64, align: 'center', render: (r) => t('tasksDone', { closed: r.closedTaskCount, total: r.taskCount }) },
    { key: 'deadline', title: t('col.deadline'), width: 104, sortField: 'deadline', render: (r) => r.deadline ?? '—' },
    {
      key: 'status', title: t('col.status'), width: 116,
      render: (r) => (
        <StatusLight
          colour={rowLight({ closed: r.status === 'closed', overdue: r.overdue, deadline: r.deadline, warnDays, today })}
          word={t(`problemStatus.${r.status}`)}
        />
      ),
    },
    { key: 'updatedAt', title: t('col.updatedAt'), width: 104, sortField: 'updatedAt', render: (r) => day(r.updatedAt), title_: (r) => time(r.updatedAt) },
  ];
}

export function taskColumns(t: TFunction<'problems'>, warnDays: number, today: string, origin = false): ListColumn<TaskListRow>[] {
  return [
    { key: 'seq', title: t('col.seq'), width: 68, align: 'right', render: (r) => `${r.problemSeq ?? '?'}-${r.seq}` },
    { key: 'unit', title: t('col.unit'), width: 140, render: (r) => r.unitName, title_: (r) => r.unitName ?? undefined },
    ...(origin ? [originColumn<TaskListRow>(t)] : []),
    {
      key: 'measures', title: t('col.measures'), width: 220,
      render: (r) => <>{conflictTagOf(r)}<span data-testid="cell-measures">{r.measures}</span></>, title_: (r) => r.measures,
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
          colour={rowLight({ closed: r.status === 'closed', overdue: r.overdue, deadline: r.currentDeadline, warnDays, today })}
          word={t(`taskStatus.${r.status}`)}
        />
      ),
    },
    { key: 'updatedAt', title: t('col.updatedAt'), width: 104, sortField: 'updatedAt', render: (r) => day(r.updatedAt), title_: (r) => time(r.updatedAt) },
  ];
}

const statusWord = (t: TFunction<'problems'>, word: string, overdue: boolean) => (overdue ? t('overdueStatus', { s: word }) : word);

/** The printed problem ledger's columns (widths in per cent of the page). */
export function problemPrintColumns(t: TFunction<'problems'>): PrintColumn<ProblemListRow>[] {
  return [
    { key: 'seq', title: t('col.seq'), width: 5, align: 'center', text: (r) => String(r.seq) },
    { key: 'unit', title: t('col.unit'), width: 12, text: (r) => r.unitName ?? '' },
    { key: 'category', title: t('col.category'), width: 11, text: (r) => r.categoryName ?? '' },
    { key: 'description', title: t('col.description'), width: 34, text: (r) => r.description },
    { key: 'key', title: t('col.key'), width: 5, align: 'center', text: (r) => (r.isKey ? t('keyTag') : '') },
    { key: 'source', title: t('col.source'), width: 8, text: (r) => t(`sources.${r.source}`, { defaultValue: r.source }) },
    { key: 'tasks', title: t('col.tasks'), width: 6, align: 'center', text: (r) => t('tasksDone', { closed: r.closedTaskCount, total: r.taskCount }) },
    { key: 'deadline', title: t('col.deadline'), width: 9, align: 'center', text: (r) => r.deadline ?? '—' },
    { key: 'status', title: t('col.status'), width: 10, align: 'center', text: (r) => statusWord(t, t(`problemStatus.${r.status}`), r.overdue && r.status !== 'closed') },
  ];
}

/** The printed task ledger's columns (widths in per cent of the page). */
export function taskPrintColumns(t: TFunction<'problems'>): PrintColumn<TaskListRow>[] {
  return [
    { key: 'seq', title: t('col.seq'), width: 6, align: 'center', text: (r) => `${r.problemSeq ?? '?'}-${r.seq}` },
    { key: 'unit', title: t('col.unit'), width: 11, text: (r) => r.unitName ?? '' },
    { key: 'measures', title: t('col.measures'), width: 31, text: (r) => r.measures },
    { key: 'leader', title: t('col.leader'), width: 7, text: (r) => r.responsibleLeader ?? '' },
    { key: 'department', title: t('col.department'), width: 10, text: (r) => r.responsibleDepartment ?? '' },
    { key: 'person', title: t('col.person'), width: 7, text: (r) => r.responsiblePerson ?? '' },
    { key: 'term', title: t('col.term'), width: 7, align: 'center', text: (r) => t(`terms.${r.term}`) },
    { key: 'deadline', title: t('col.deadline'), width: 10, align: 'center', text: (r) => (r.extended ? t('extendedPrint', { d: r.currentDeadline, o: r.deadline }) : r.currentDeadline) },
    { key: 'status', title: t('col.status'), width: 11, align: 'center', text: (r) => statusWord(t, t(`taskStatus.${r.status}`), r.overdue && r.status !== 'closed') + (r.completedOn ? ` ${r.completedOn}` : '') },
  ];
}
