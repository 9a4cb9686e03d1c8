import { useTranslation } from 'react-i18next';
import '../../components/lists/lists.css';
import { ListTitle, TaskList } from './TaskList.js';

/** 任务清单: every rectification task, paged from SQL as the user scrolls. */
export function TasksScreen() {
  const { t } = useTranslation('problems');
  return <TaskList name="tasks" title={<ListTitle>{t('tasks.title')}</ListTitle>} />;
}
