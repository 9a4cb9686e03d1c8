/**
 * The ledger file cannot be opened (ledger:status 'unusable' or 'no_keys', or a log-in refused with
 * CORRUPT): the engine's sentence for what is wrong, and what to do — restore from a backup.
 */
import { Button, Card, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function FileProblemPage({ message, onRetry }: { message: string; onRetry(): void }) {
  const { t } = useTranslation('auth');
  return (
    <main className="xz-firstrun" data-testid="file-problem">
      <Result
        status="error"
        title={<h1 className="xz-card-h1 xz-result-h1">{t('fileProblem.title')}</h1>}
        subTitle={<span role="alert" className="xz-fileproblem-msg" data-testid="file-problem-message">{message}</span>}
        extra={<Button onClick={onRetry}>{t('fileProblem.retry')}</Button>}
      />
      <Card title={<h2 className="xz-card-h1">{t('fileProblem.whatToDo')}</h2>} className="xz-fileproblem-card">
        <ol className="xz-steps">
          <li>{t('fileProblem.step1')}</li>
          <li>{t('fileProblem.step2')}</li>
          <li>{t('fileProblem.step3')}</li>
          <li>{t('fileProblem.step4')}</li>
        </ol>
        <Typography.Paragraph type="secondary" className="xz-steps-note">{t('fileProblem.noBackup')}</Typography.Paragraph>
      </Card>
    </main>
  );
}
