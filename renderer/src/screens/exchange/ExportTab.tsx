/**
 * 导出交换包: to one partner whose fingerprint is confirmed; 自上次确认以来 (default), 全部, or a
 * round, units, problems or a date range (ScopeFields.tsx);
 * 包含问题线索 only where the partner's kind may hold clues and the user may read them. While the
 * engine writes, a status line; then where the file is (and in the browser preview a download).
 */
import { ExportOutlined, FolderOpenOutlined, LoadingOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Form, Radio, Result, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import type { Query } from '../../components/hooks.js';
import { useQuery } from '../../components/hooks.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { navigate } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { CLUE_HOLDERS, useExchangeError, type ExportDone, type Partner } from './api.js';
import { ScopeFields, scopeArgs, type ScopeMode, type ScopeValues } from './ScopeFields.js';
import { WrittenFile } from './WrittenFile.js';
import { FirstContactExport } from './FirstContactExport.js';

interface ExportValues extends ScopeValues { partnerId?: string; includeClues: boolean }

/** 发给已确认的交换单位, or 首次联络 (the recipient's card is not here yet: FirstContactExport). */
export function ExportTab({ partners, onExported }: { partners: Query<Partner[]>; onExported(): void }) {
  const { t } = useTranslation('exchange');
  const [to, setTo] = useState<'partner' | 'first'>('partner');
  return (
    <>
      <Radio.Group value={to} onChange={(e) => setTo(e.target.value as 'partner' | 'first')} optionType="button" className="xz-exchange-gap"
        aria-label={t('first.choice')} data-testid="export-to" options={[
          { value: 'partner', label: t('first.toPartner') },
          { value: 'first', label: t('first.toFirst') },
        ]} />
      {to === 'first' ? <FirstContactExport onExported={onExported} /> : <PartnerExport partners={partners} onExported={onExported} />}
    </>
  );
}

function PartnerExport({ partners, onExported }: { partners: Query<Partner[]>; onExported(): void }) {
  const { t } = useTranslation('exchange');
  const { t: ta } = useTranslation('auth');
  const s = useSession();
  const explain = useExchangeError();
  const [form] = Form.useForm<ExportValues>();
  const folder = useQuery(() => call('exchange:folder'), []);
  const [writing, setWriting] = useState(false);
  const [done, setDone] = useState<(ExportDone & { mode: ScopeMode }) | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const confirmed = (partners.data ?? []).filter((p) => p.trust === 'confirmed');
  const partnerId = Form.useWatch('partnerId', form);
  const scope = (Form.useWatch('scope', form) as ScopeMode | undefined) ?? 'since';
  const partner = confirmed.find((p) => p.officeId === partnerId);
  const cluesAllowed = !!partner && CLUE_HOLDERS.includes(partner.kind) && s.can('clue.read');

  // One confirmed partner: chosen already.
  const only = confirmed.length === 1 ? confirmed[0]!.officeId : null;
  useEffect(() => {
    if (only && !form.getFieldValue('partnerId')) form.setFieldValue('partnerId', only);
  }, [only, form]);

  async function run(toFolder: boolean) {
    let v: ExportValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setWriting(true);
    setProblem(null);
    setDone(null);
    setCancelled(false);
    try {
      const r = await call('exchange:export', { partnerId: v.partnerId!, ...scopeArgs(v), includeClues: cluesAllowed && v.includeClues, toFolder });
      if (r) {
        setDone({ ...r, mode: v.scope });
        onExported();
      } else {
        setCancelled(true);
      }
    } catch (e) {
      setProblem(explain(e).text);
    } finally {
      setWriting(false);
    }
  }

  if (partners.error) return <ErrorState error={partners.error} onRetry={partners.reload} />;
  if (!partners.data) return <Loading />;
  if (confirmed.length === 0) {
    return (
      <EmptyState hint={t('export.noPartners')} action={
        <Button type="primary" onClick={() => navigate('exchange', 'partners')}>{t('export.goPartners')}</Button>
      } />
    );
  }

  return (
    <div data-testid="export-tab">
      <Typography.Paragraph type="secondary">{t('export.intro')}</Typography.Paragraph>
      <Form<ExportValues> form={form} layout="vertical" initialValues={{ scope: 'since', includeClues: false }} className="xz-exchange-form" disabled={writing}
        onFinish={() => void run(false)}>
        <Form.Item name="partnerId" label={t('export.partner')} rules={[{ required: true, message: t('export.partnerRequired') }]}>
          <Select
            placeholder={t('export.partnerPlaceholder')} data-testid="export-partner" showSearch={{ optionFilterProp: 'label' }}
            options={confirmed.map((p) => ({ value: p.officeId, label: `${p.name}（${ta(`officeKinds.${p.kind}`)}）` }))}
          />
        </Form.Item>
        <ScopeFields mode={scope} />
        {cluesAllowed && (
          <Form.Item name="includeClues" valuePropName="checked" extra={t('export.cluesHint')}>
            <Checkbox data-testid="export-clues">{t('export.clues')}</Checkbox>
          </Form.Item>
        )}
        <Space wrap>
          <Button type="primary" htmlType="submit" icon={<ExportOutlined />} loading={writing} data-testid="export-run">{t('export.ok')}</Button>
          {folder.data?.chooseFolder && (
            <Button icon={<FolderOpenOutlined />} onClick={() => void run(true)} disabled={writing}>{t('export.toFolder')}</Button>
          )}
        </Space>
      </Form>
      {writing && (
        <Alert type="info" showIcon icon={<LoadingOutlined />} className="xz-exchange-status" data-testid="export-writing"
          title={<span role="status">{t('export.writing')}</span>} />
      )}
      {problem && <Alert type="error" showIcon role="alert" title={problem} className="xz-exchange-status" data-testid="export-problem" />}
      {cancelled && <Alert type="info" showIcon title={t('export.cancelled')} className="xz-exchange-status" />}
      {done && (
        <Card size="small" className="xz-exchange-status" data-testid="export-done">
          <Result status="success" className="xz-exchange-result" title={<h3 className="xz-exchange-h3">{t('export.done')}</h3>}
            subTitle={<span role="status">{t('export.doneText', { name: done.partnerName ?? '', seq: done.seq, records: done.records })}</span>} />
          {done.records === 0 && <Alert type="info" showIcon title={t(done.mode === 'since' ? 'export.doneEmpty' : 'export.doneEmptyScoped')} style={{ marginBottom: 12 }} />}
          <WrittenFile path={done.path} fileName={done.fileName} bytes={done.bytes} download={t('export.download')} testId="export-file"
            extra={[{ key: 'records', label: t('export.records'), children: <span data-testid="export-records">{done.records}</span> }]} />
        </Card>
      )}
    </div>
  );
}
