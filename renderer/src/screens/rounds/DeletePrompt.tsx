import { useTranslation } from 'react-i18next';
import { ReasonPrompt } from '../../components/forms/ReasonPrompt.js';

/** 删除 a round, a team or a unit of a round, with the reason the engine requires (kept in the audit log). */
export function DeletePrompt({ name, onClose, onDelete }: { name: string; onClose(): void; onDelete(reason: string): Promise<void> }) {
  const { t } = useTranslation('rounds');
  return (
    <ReasonPrompt
      title={t('deleteTitle', { name })} hint={t('deleteWarn')} label={t('reason')} placeholder={t('reasonPlaceholder')}
      testId="reason-modal" onClose={onClose} onSubmit={onDelete}
    />
  );
}
