/**
 * 本单位公钥卡: the office, its fingerprint in groups (what a partner reads back on the phone),
 * 导出公钥卡 (the keys are made at the first export), 打印指纹, 更换密钥 (exchange.partners) and
 * the retired keys.
 */
import { DownloadOutlined, PrinterOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Space, Table, Typography } from 'antd';
import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { KeyGroups } from '../../components/KeySheet.js';
import { ErrorState, Loading } from '../../components/States.js';
import type { Query } from '../../components/hooks.js';
import { useSession } from '../../core/session.js';
import { minute, saveText, useExchangeError, type Identity } from './api.js';
import { FingerprintPrint } from './FingerprintPrint.js';

type Retired = Identity['retired'][number];

export function OwnCard({ identity }: { identity: Query<Identity> }) {
  const { t } = useTranslation('exchange');
  const { t: ta } = useTranslation('auth');
  const s = useSession();
  const { message } = App.useApp();
  const explain = useExchangeError();
  const [exporting, setExporting] = useState(false);
  const [printing, setPrinting] = useState(false);
  const stopPrinting = useCallback(() => setPrinting(false), []);
  const [ask, reasonHolder] = useReasonPrompt();
  const id = useId();
  const data = identity.data;

  async function exportCard() {
    setExporting(true);
    try {
      const card = await call('exchange:card');
      saveText(card.fileName, card.text);
      void message.success(t('own.exported', { name: card.fileName }));
    } catch (e) {
      void message.error(explain(e).text);
    } finally {
      setExporting(false);
      identity.reload();
    }
  }

  function rotate() {
    ask({
      title: t('own.rotateTitle'), label: t('own.rotateReason'), hint: t('own.rotateHint'), placeholder: t('own.rotatePlaceholder'),
      okText: t('own.rotateOk'), testId: 'rotate-keys',
      onSubmit: async (reason) => {
        const card = await call('exchange:rotateKeys', { reason });
        void message.success(t('own.rotated', { fingerprint: card.fingerprint }));
        identity.reload();
      },
    });
  }

  const actions = data && (
    <Space wrap>
      <Button type="primary" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportCard()} data-testid="export-card">{t('own.export')}</Button>
      {data.fingerprint && <Button icon={<PrinterOutlined />} onClick={() => setPrinting(true)} data-testid="print-fingerprint">{t('own.print')}</Button>}
      {data.fingerprint && s.can('exchange.partners') && (
        <Button danger icon={<SyncOutlined />} onClick={rotate} data-testid="rotate-keys-button">{t('own.rotate')}</Button>
      )}
    </Space>
  );

  return (
    <Card size="small" title={<h2 className="xz-card-h2">{t('own.title')}</h2>} extra={actions} style={{ marginBottom: 12 }} data-testid="own-card">
      {identity.error ? <ErrorState error={identity.error} onRetry={identity.reload} /> : !data ? <Loading /> : (
        <>
          <div className="xz-exchange-own">
            <Descriptions size="small" column={1} className="xz-exchange-office" items={[
              { key: 'name', label: t('own.name'), children: data.office.name },
              { key: 'kind', label: t('own.kind'), children: ta(`officeKinds.${data.office.kind}`) },
              { key: 'level', label: t('own.level'), children: ta(`levels.${data.office.level}`) },
              ...(data.since ? [{ key: 'since', label: t('own.since'), children: minute(data.since) }] : []),
            ]} />
            <div className="xz-exchange-fp">
              {data.fingerprint ? (
                <>
                  <Typography.Text strong id={`${id}-fp`}>{t('own.fingerprint')}</Typography.Text>
                  <div role="group" aria-labelledby={`${id}-fp`}><KeyGroups value={data.fingerprint} testId="own-fingerprint" /></div>
                  <Typography.Paragraph type="secondary" className="xz-exchange-note">{t('own.fingerprintHint')}</Typography.Paragraph>
                </>
              ) : (
                <Alert type="info" showIcon title={t('own.noKeys')} data-testid="own-no-keys" />
              )}
            </div>
          </div>
          {data.retired.length > 0 && (
            <>
              <h3 className="xz-exchange-h3">{t('own.retiredTitle')}</h3>
              <Table<Retired>
                size="small" rowKey="fingerprint" pagination={false} dataSource={data.retired} data-testid="retired-keys"
                columns={[
                  { title: t('partners.col.fingerprint'), dataIndex: 'fingerprint', width: 210, render: (f: string) => <KeyGroups value={f} size="small" /> },
                  { title: t('own.retiredAt'), dataIndex: 'retiredAt', width: 150, render: (at: string | null) => minute(at) },
                  { title: t('own.retiredReason'), dataIndex: 'reason', render: (r: string | null) => r ?? '—' },
                ]}
              />
            </>
          )}
        </>
      )}
      {printing && data?.fingerprint && <FingerprintPrint identity={data} fingerprint={data.fingerprint} onDone={stopPrinting} />}
      {reasonHolder}
    </Card>
  );
}
