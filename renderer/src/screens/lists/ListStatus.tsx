import { Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { KeysetList } from '../../components/lists/useKeysetPages.js';

/** Right end of the summary line: page loading, rows held in memory, the scroll cap when reached. */
export function ListStatus<R>({ list }: { list: KeysetList<R> }) {
  const { t } = useTranslation('problems');
  return (
    <span className="xz-muted" data-testid="list-status" data-fetches={list.fetches}>
      {list.busy && !list.loading && <><Spin size="small" /> {t('loadingMore')} </>}
      {list.capped && <Typography.Text type="warning" data-testid="list-capped">{t('capped', { n: list.maxExtent.toLocaleString('zh-CN') })} </Typography.Text>}
      <span data-testid="list-in-memory">{t('loaded', { n: list.inMemory })}</span>
    </span>
  );
}
