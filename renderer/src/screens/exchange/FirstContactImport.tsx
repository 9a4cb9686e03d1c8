/**
 * Importing a 首次联络包 (a passphrase package, db/exchange/first-contact.ts): the sender's card from
 * the package's header (exchange:firstContactCard: its signature checked, nothing trusted), the
 * fingerprint the sender reads over the phone typed here (partners:add with it: the card is added and
 * confirmed; a mismatch is refused and adds nothing), the passphrase told on the same call, then the
 * usual preview (exchange:preview with the passphrase).
 */
import { EyeOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call, type UploadedFile } from '../../api/client.js';
import { KeyGroups } from '../../components/KeySheet.js';
import { useExchangeError, useFingerprintRefusal, type PackagePreview } from './api.js';

export type FirstContactCard = Awaited<ResultOf<'exchange:firstContactCard'>>;

interface Values { fingerprint?: string; passphrase?: string }

export function FirstContactImport({ file, card, onPreview, onAgain }: {
  file: UploadedFile; card: FirstContactCard; onPreview(preview: PackagePreview, passphrase: string): void; onAgain(): void;
}) {
  const { t } = useTranslation('exchange');
  const { t: ta } = useTranslation('auth');
  const explain = useExchangeError();
  const refused = useFingerprintRefusal();
  const [form] = Form.useForm<Values>();
  const [trusted, setTrusted] = useState(card.trusted);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [mismatch, setMismatch] = useState<string | null>(null);
  const id = useId();

  async function next(v: Values) {
    setProblem(null);
    setMismatch(null);
    setBusy(true);
    try {
      if (!trusted) {
        try {
          await call('partners:add', { card: card.card, fingerprint: (v.fingerprint ?? '').trim() });
          setTrusted(true);
        } catch (e) {
          refused(e, { form, setMismatch, setProblem });
          return;
        }
      }
      const passphrase = v.passphrase ?? '';
      try {
        onPreview(await call('exchange:preview', { path: file.path, passphrase }), passphrase);
      } catch (e) {
        const x = explain(e);
        if (x.reason === 'package_recipient') form.setFields([{ name: 'passphrase', errors: [t('first.wrongPassphrase')] }]);
        else setProblem(x.text);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" data-testid="first-contact-import">
      <h3 className="xz-exchange-h3">{t('first.importTitle')}</h3>
      <Typography.Paragraph type="secondary">{t('first.importIntro', { name: file.fileName })}</Typography.Paragraph>
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} className="xz-exchange-desc" items={[
        { key: 'office', label: t('import.sender'), span: 2, children: <span data-testid="first-sender">{card.office.name}</span> },
        { key: 'kind', label: t('add.kind'), children: ta(`officeKinds.${card.office.kind}`) },
        { key: 'level', label: t('add.level'), children: ta(`levels.${card.office.level}`) },
        { key: 'to', label: t('first.addressedTo'), span: 2, children: card.recipientName },
      ]} />
      <Typography.Text strong id={`${id}-fp`}>{t('first.senderFingerprint')}</Typography.Text>
      <div role="group" aria-labelledby={`${id}-fp`} className="xz-exchange-gap"><KeyGroups value={card.fingerprint} testId="first-sender-fingerprint" /></div>
      {trusted
        ? <Alert type="success" showIcon title={t('first.alreadyTrusted')} style={{ marginBottom: 12 }} data-testid="first-trusted" />
        : <Alert type="warning" showIcon title={t('first.compare')} style={{ marginBottom: 12 }} />}
      {mismatch && <Alert type="error" showIcon role="alert" title={t('confirm.mismatchTitle')} description={mismatch} className="xz-exchange-mismatch" data-testid="fingerprint-mismatch" />}
      {problem && <Alert type="error" showIcon role="alert" title={problem} className="xz-exchange-status" data-testid="first-import-problem" />}
      <Form<Values> form={form} layout="vertical" className="xz-exchange-form" disabled={busy} onFinish={(v) => void next(v)}>
        {!trusted && (
          <Form.Item name="fingerprint" label={t('first.typedFingerprint')} extra={t('first.typedFingerprintHint')}
            rules={[{ required: true, whitespace: true, message: t('first.fingerprintRequired') }]}>
            <Input className="xz-mono" maxLength={64} autoComplete="off" spellCheck={false} placeholder={t('add.typedPlaceholder')} data-testid="first-fingerprint" />
          </Form.Item>
        )}
        <Form.Item name="passphrase" label={t('first.passphraseTold')} extra={t('first.passphraseToldHint')}
          rules={[{ required: true, whitespace: true, message: t('first.passphraseRequired') }]}>
          <Input className="xz-mono" maxLength={200} autoComplete="off" spellCheck={false} data-testid="first-import-passphrase" />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit" icon={<EyeOutlined />} loading={busy} data-testid="first-preview">
            {t(trusted ? 'first.preview' : 'first.confirmAndPreview')}
          </Button>
          <Button onClick={onAgain} disabled={busy}>{t('import.again')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
