/**
 * 首次联络（对方公钥卡尚未导入）: a package to an office whose card is not here yet, encrypted with a
 * passphrase told over the phone (db/exchange/first-contact.ts). The passphrase field is pre-filled
 * with one the engine suggests (6 groups of 4), shown large to read out, with a copy button; the
 * result says what to tell the recipient by phone: the passphrase and this office's fingerprint.
 */
import { CopyOutlined, ExportOutlined, LoadingOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Form, Input, Result, Select, Space, Typography } from 'antd';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OFFICE_KINDS } from '../../../../db/domain/enums.js';
import { call } from '../../api/client.js';
import { useQuery } from '../../components/hooks.js';
import { KeyGroups } from '../../components/KeySheet.js';
import { useSession } from '../../core/session.js';
import { CLUE_HOLDERS, useExchangeError, type ExportDone } from './api.js';
import { WrittenFile } from './WrittenFile.js';

interface Values { recipientName: string; recipientKind?: string; passphrase: string; includeClues: boolean }

export function FirstContactExport({ onExported }: { onExported(): void }) {
  const { t } = useTranslation('exchange');
  const { t: ta } = useTranslation('auth');
  const { message } = App.useApp();
  const s = useSession();
  const explain = useExchangeError();
  const id = useId();
  const [form] = Form.useForm<Values>();
  const folder = useQuery(() => call('exchange:folder'), []);
  const identity = useQuery(() => call('exchange:identity'), []);
  const [writing, setWriting] = useState(false);
  const [done, setDone] = useState<(ExportDone & { passphrase: string }) | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const kind = Form.useWatch('recipientKind', form);
  const passphrase = (Form.useWatch('passphrase', form) as string | undefined) ?? '';
  const cluesAllowed = !!kind && CLUE_HOLDERS.includes(kind) && s.can('clue.read');

  async function suggest() {
    try {
      form.setFieldValue('passphrase', await call('exchange:suggestPassphrase'));
    } catch (e) {
      setProblem(explain(e).text);
    }
  }
  // Once, when the form appears.
  useEffect(() => {
    void suggest();
  }, []);

  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      void message.success(t('first.copied'));
    } catch {
      void message.info(t('first.copyFailed'));
    }
  }

  async function run(toFolder: boolean) {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setWriting(true);
    setProblem(null);
    setDone(null);
    try {
      const r = await call('exchange:exportFirstContact', {
        recipientName: v.recipientName, recipientKind: v.recipientKind as (typeof OFFICE_KINDS.codes)[number], passphrase: v.passphrase,
        includeClues: cluesAllowed && v.includeClues, toFolder,
      });
      if (r) {
        setDone({ ...r, passphrase: v.passphrase });
        identity.reload();
        onExported();
      }
    } catch (e) {
      const x = explain(e);
      if (x.error.field === 'passphrase') form.setFields([{ name: 'passphrase', errors: [x.text] }]);
      else setProblem(x.text);
    } finally {
      setWriting(false);
    }
  }

  return (
    <div data-testid="first-contact-export">
      <Typography.Paragraph type="secondary">{t('first.intro')}</Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" initialValues={{ recipientName: '', passphrase: '', includeClues: false }} className="xz-exchange-form" disabled={writing}
        onFinish={() => void run(false)}>
        <Form.Item name="recipientName" label={t('first.recipientName')} extra={t('first.recipientNameHint')} rules={[{ required: true, whitespace: true, message: t('first.recipientNameRequired') }]}>
          <Input maxLength={200} autoComplete="off" data-testid="first-recipient-name" />
        </Form.Item>
        <Form.Item name="recipientKind" label={t('first.recipientKind')} rules={[{ required: true, message: t('first.recipientKindRequired') }]}>
          <Select placeholder={t('first.recipientKindPlaceholder')} data-testid="first-recipient-kind" showSearch={{ optionFilterProp: 'label' }}
            options={OFFICE_KINDS.codes.map((k) => ({ value: k, label: ta(`officeKinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="passphrase" label={t('first.passphrase')} extra={t('first.passphraseHint')}
          rules={[{ required: true, whitespace: true, message: t('first.passphraseRequired') }]}>
          <Input className="xz-mono" maxLength={200} autoComplete="off" spellCheck={false} data-testid="first-passphrase" />
        </Form.Item>
        {passphrase.trim() !== '' && (
          <div className="xz-exchange-gap">
            <Typography.Text strong id={`${id}-read`}>{t('first.readOut')}</Typography.Text>
            <div role="group" aria-labelledby={`${id}-read`}><KeyGroups value={passphrase} testId="first-passphrase-large" /></div>
            <Space wrap>
              <Button icon={<CopyOutlined />} onClick={() => void copy(passphrase)} data-testid="first-copy">{t('first.copy')}</Button>
              <Button icon={<ReloadOutlined />} onClick={() => void suggest()}>{t('first.another')}</Button>
            </Space>
          </div>
        )}
        {cluesAllowed && (
          <Form.Item name="includeClues" valuePropName="checked" extra={t('export.cluesHint')}>
            <Checkbox>{t('export.clues')}</Checkbox>
          </Form.Item>
        )}
        <Space wrap>
          <Button type="primary" htmlType="submit" icon={<ExportOutlined />} loading={writing} data-testid="first-run">{t('first.ok')}</Button>
          {folder.data?.chooseFolder && <Button onClick={() => void run(true)} disabled={writing}>{t('export.toFolder')}</Button>}
        </Space>
      </Form>
      {writing && (
        <Alert type="info" showIcon icon={<LoadingOutlined />} className="xz-exchange-status" title={<span role="status">{t('export.writing')}</span>} />
      )}
      {problem && <Alert type="error" showIcon role="alert" title={problem} className="xz-exchange-status" data-testid="first-problem" />}
      {done && (
        <Card size="small" className="xz-exchange-status" data-testid="first-done">
          <Result status="success" className="xz-exchange-result" title={<h3 className="xz-exchange-h3">{t('export.done')}</h3>}
            subTitle={<span role="status">{t('first.doneText', { name: done.partnerName ?? '', records: done.records })}</span>} />
          <Typography.Paragraph strong>{t('first.tellPassphrase')}</Typography.Paragraph>
          <KeyGroups value={done.passphrase} />
          {identity.data?.fingerprint && (
            <>
              <Typography.Paragraph strong>{t('first.tellFingerprint')}</Typography.Paragraph>
              <div className="xz-exchange-gap"><KeyGroups value={identity.data.fingerprint} size="small" /></div>
            </>
          )}
          <WrittenFile path={done.path} fileName={done.fileName} bytes={done.bytes} download={t('export.download')} testId="first-file"
            extra={[{ key: 'records', label: t('export.records'), children: <span>{done.records}</span> }]} />
        </Card>
      )}
    </div>
  );
}
