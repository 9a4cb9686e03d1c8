/**
 * The 冲突 flag (docs/exchange-format.md §2): a record with a field in conflict after an exchange
 * import (its own, or one of a part shown with it: a task's progress entry…) carries it in every
 * list (ConflictTag, from the list row's `conflicted`) and on its page (ConflictBanner: which
 * fields, what it means, and the way to 数据交换 → 冲突与提议) until a person resolves it. The
 * word 冲突 is always written beside the colour.
 */
import { Alert, Button, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ArgOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { useQuery } from '../../components/hooks.js';
import { navigate } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { useVocab } from './values.js';

/** The red 冲突 tag of a list row. */
export function ConflictTag({ className }: { className?: string }) {
  const { t } = useTranslation();
  return <Tag color="red" className={className} title={t('conflict.tagTitle')} data-testid="conflict-tag">{t('conflict.tag')}</Tag>;
}

/**
 * A row's tag when it is flagged (with a space after it, before the row's text), else nothing.
 * Rows typed after a record's get (no flag in the type) still carry the list's flag at run time.
 */
export const conflictTagOf = (r: object) => ('conflicted' in r && r.conflicted === true ? <><ConflictTag /> </> : null);

type FlaggedTable = ArgOf<'conflicts:of'>['table'];

/**
 * The flag on a record's page, above its content; nothing while the record has no conflict.
 * `version` re-reads it (pass something that changes when the record is saved).
 */
export function ConflictBanner({ table, id, version }: { table: FlaggedTable; id: string; version?: unknown }) {
  const { t } = useTranslation();
  const s = useSession();
  const vocab = useVocab();
  const q = useQuery(() => call('conflicts:of', { table, id }), [table, id, version]);
  const rows = q.data ?? [];
  // A failed read shows nothing here: the page's own content reports the error.
  if (rows.length === 0) return null;
  const names = [...new Set(rows.map((c) => (c.part
    ? t('conflict.partField', { part: vocab.table(c.entity), field: vocab.field(c.field) })
    : t('conflict.field', { field: vocab.field(c.field) }))))];
  // Clue conflicts are not listed on 冲突与提议 (clue data is need-to-know): saving the clue resolves them.
  const clue = table === 'clues';
  const may = !clue && s.can('exchange.run');
  return (
    <Alert
      type="error" showIcon style={{ marginBottom: 8 }} data-testid="conflict-banner"
      title={<span><ConflictTag /> {t('conflict.title', { n: rows.length })}</span>}
      description={(
        <>
          <span data-testid="conflict-fields">{t('conflict.text', { fields: names.join('、') })}</span>
          {!may && <> {clue ? t('conflict.clue') : t('conflict.noRight')}</>}
        </>
      )}
      action={may ? (
        <Button size="small" type="primary" danger onClick={() => navigate('exchange', 'conflicts')} data-testid="conflict-open">
          {t('conflict.open')}
        </Button>
      ) : undefined}
    />
  );
}
