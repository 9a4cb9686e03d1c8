/**
 * 打印指纹: a one-page sheet with the office and its fingerprint (components/KeySheet.tsx, as the
 * recovery keys), for a partner to compare the card against. While mounted, printing shows only
 * the sheet; the system dialog opens once it is laid out, and `onDone` follows it.
 */
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { KeySheet } from '../../components/KeySheet.js';
import { useSession } from '../../core/session.js';
import type { Identity } from './api.js';

export function FingerprintPrint({ identity, fingerprint, onDone }: { identity: Identity; fingerprint: string; onDone(): void }) {
  const { t } = useTranslation('exchange');
  const { t: ta } = useTranslation('auth');
  const s = useSession();

  useEffect(() => {
    const done = () => onDone();
    window.addEventListener('afterprint', done);
    const id = requestAnimationFrame(() => window.print());
    return () => {
      cancelAnimationFrame(id);
      window.removeEventListener('afterprint', done);
    };
  }, [onDone]);

  const { office } = identity;
  return (
    <KeySheet
      value={fingerprint} testId="fingerprint-sheet" title={t('sheet.title')} office={t('sheet.office', { office: office.name })}
      date={t('sheet.date', { date: dayjs(s.today).format(t('sheet.dateFormat')) })}
      about={<p>{t('sheet.kind', { kind: ta(`officeKinds.${office.kind}`), level: ta(`levels.${office.level}`) })}</p>}
      rules={[t('sheet.use'), t('sheet.phone'), t('sheet.change')]} keeper={t('sheet.keeper')} keptOn={t('sheet.keptOn')}
    />
  );
}
