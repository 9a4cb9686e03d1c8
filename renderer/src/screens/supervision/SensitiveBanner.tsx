import { LockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** The red marking on every clue view (DOMAIN.md: the most sensitive data in the app). */
export function SensitiveBanner() {
  const { t } = useTranslation('clues');
  return (
    <div className="xz-sensitive" role="note" data-testid="sensitive-banner">
      <LockOutlined /> <strong>{t('sensitive')}</strong>
      <span className="xz-sensitive-hint">{t('sensitiveHint')}</span>
    </div>
  );
}
