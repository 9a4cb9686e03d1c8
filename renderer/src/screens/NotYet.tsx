import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRoute } from '../core/router.js';

export function NotYet() {
  const { t } = useTranslation();
  const r = useRoute();
  return <Result status="info" title={t(`nav.${r.section}`, { defaultValue: r.section })} subTitle={t('states.notYet')} />;
}
