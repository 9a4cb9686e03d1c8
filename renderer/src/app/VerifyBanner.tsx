/**
 * 台账核验 after each opening: the engine checks the whole ledger in the background (SQLite's own
 * check, the audit chain and its anchor, every record against its last audited state). While it
 * runs the banner shows its progress; a finding stays on screen as a warning naming the first bad
 * audit row, the missing tail or the record changed outside the app. The shell stays usable.
 */
import { Alert, Progress, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.js';

type Verify = NonNullable<Awaited<ReturnType<typeof call<'ledger:status'>>>['verify']>;

export function VerifyBanner() {
  const { t } = useTranslation('auth');
  const [v, setV] = useState<Verify | null>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      call('ledger:status').then((st) => {
        if (stop) return;
        setV(st.verify);
        if (st.verify?.running) timer = setTimeout(poll, 1500);
      }, () => undefined);
    };
    poll();
    return () => {
      stop = true;
      if (timer) clearTimeout(timer);
    };
  }, []);
  if (!v) return null;
  if (v.running) {
    const pct = v.progress && v.progress.total > 0 ? Math.floor((100 * v.progress.done) / v.progress.total) : 0;
    return (
      <div className="xz-verify-running" role="status" data-testid="verify-running">
        <Typography.Text type="secondary">{t('verify.running')}</Typography.Text>
        <Progress percent={pct} size="small" style={{ width: 160, margin: '0 0 0 8px' }} aria-label={t('verify.running')} />
      </div>
    );
  }
  if (!v.severity || v.severity === 'ok') return null;
  // The first finding is already the message's own sentence.
  const details = v.details.filter((d) => !(v.message ?? '').includes(d));
  return (
    <Alert
      type={v.severity === 'warning' ? 'warning' : 'error'} role="alert" showIcon banner closable data-testid="verify-alert"
      title={t('verify.problem', { message: v.message ?? '' })}
      description={details.length > 0 ? <ul className="xz-verify-details">{details.map((d) => <li key={d}>{d}</li>)}</ul> : undefined}
    />
  );
}
