/**
 * 添加交换单位: the partner's card is picked (read in the page, nothing is uploaded anywhere) and
 * read by the engine (partners:previewCard: office, fingerprint and how it relates to the partners
 * known), then 添加 (partners:add), with the fingerprint the partner read out on the phone if the
 * clerk typed it (confirmed at once), else the partner waits for 确认指纹.
 */
import { FileDoneOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Descriptions, Form, Input, Typography, Upload } from 'antd';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { KeyGroups } from '../../components/KeySheet.js';
import { CARD_MAX_BYTES, minute, useExchangeError, useFingerprintRefusal, type Preview } from './api.js';

interface AddValues { fingerprint?: string }

const STANDING_ALERT: Record<Preview['standing'], 'info' | 'success' | 'warning'> = {
  new: 'info', known: 'info', key_change_signed: 'success', key_change_unsigned: 'warning',
};

export function AddPartnerDialog({ onClose, onAdded }: { onClose(): void; onAdded(): void }) {
  const { t } = useTranslation('exchange');
  const { t: ta } = useTranslation('auth');
  const { message } = App.useApp();
  const explain = useExchangeError();
  const refused = useFingerprintRefusal();
  const [form] = Form.useForm<AddValues>();
  const [card, setCard] = useState<{ name: string; text: string; preview: Preview } | null>(null);
  const [reading, setReading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [mismatch, setMismatch] = useState<string | null>(null);
  const seq = useRef(0);
  const id = useId();

  async function pick(file: File) {
    const mine = ++seq.current;
    setCard(null);
    setProblem(null);
    setMismatch(null);
    if (file.size > CARD_MAX_BYTES) return setProblem(t('errors.card_too_large'));
    setReading(true);
    try {
      const text = await file.text();
      const preview = await call('partners:previewCard', { card: text });
      if (mine === seq.current) setCard({ name: file.name, text, preview });
    } catch (e) {
      if (mine === seq.current) setProblem(explain(e).text);
    } finally {
      if (mine === seq.current) setReading(false);
    }
  }

  async function add(v: AddValues): Promise<void | false> {
    setMismatch(null);
    if (!card) {
      setProblem(t('add.required'));
      return false;
    }
    const typed = card.preview.trusted ? '' : (v.fingerprint ?? '').trim();
    try {
      const p = await call('partners:add', typed ? { card: card.text, fingerprint: typed } : { card: card.text });
      void message.success(t('add.added', { name: p.name, trust: t(`partners.trust.${p.trust}`) }));
      onAdded();
    } catch (e) {
      refused(e, { form, setMismatch, setProblem });
      return false;
    }
  }

  const p = card?.preview;
  const standing = p ? (p.standing === 'known' && p.trusted ? 'known_trusted' : p.standing) : null;
  return (
    <FormShell<AddValues> form={form} title={t('add.title')} okText={t('add.ok')} doneText={null} size={640} testId="add-partner-dialog" onClose={onClose} onSubmit={add}>
      <Form.Item label={t('add.file')} required>
        {/* Once a card is read the box shrinks to one line, so the preview fits a 768-pixel screen. */}
        <Upload.Dragger accept=".xzcard" multiple={false} showUploadList={false} disabled={reading} className={card ? 'xz-card-picked' : undefined}
          beforeUpload={(f) => { void pick(f); return Upload.LIST_IGNORE; }}>
          {card ? (
            <p className="ant-upload-text" data-testid="picked-card"><FileDoneOutlined /> <span className="xz-break">{t('add.picked', { name: card.name })}</span></p>
          ) : (
            <>
              <p className="ant-upload-drag-icon"><InboxOutlined /></p>
              <p className="ant-upload-text">{t('add.pick')}</p>
              <p className="ant-upload-hint">{t('add.pickHint')}</p>
            </>
          )}
        </Upload.Dragger>
      </Form.Item>
      {reading && <Typography.Paragraph role="status">{t('add.reading')}</Typography.Paragraph>}
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 12 }} data-testid="card-problem" />}
      {card && p && standing && (
        <div data-testid="card-preview">
          <Descriptions size="small" bordered column={2} style={{ marginBottom: 12 }} items={[
            { key: 'office', label: t('add.office'), children: <span data-testid="preview-office">{p.office.name}</span>, span: 2 },
            { key: 'kind', label: t('add.kind'), children: ta(`officeKinds.${p.office.kind}`) },
            { key: 'level', label: t('add.level'), children: ta(`levels.${p.office.level}`) },
            { key: 'issued', label: t('add.issuedAt'), children: minute(p.issuedAt), span: 2 },
          ]} />
          <Typography.Text strong id={`${id}-fp`}>{t('add.fingerprint')}</Typography.Text>
          <div role="group" aria-labelledby={`${id}-fp`} className="xz-exchange-gap"><KeyGroups value={p.fingerprint} testId="preview-fingerprint" /></div>
          <Alert type={STANDING_ALERT[p.standing]} showIcon title={t(`add.standing.${standing}`)} style={{ marginBottom: 12 }} data-testid="preview-standing" data-standing={p.standing} />
          {mismatch && <Alert type="error" showIcon role="alert" title={t('confirm.mismatchTitle')} description={mismatch} className="xz-exchange-mismatch" data-testid="fingerprint-mismatch" />}
          {!p.trusted && (
            <Form.Item name="fingerprint" label={t('add.typed')} extra={t('add.typedHint')}>
              <Input className="xz-mono" maxLength={64} autoComplete="off" spellCheck={false} placeholder={t('add.typedPlaceholder')} />
            </Form.Item>
          )}
        </div>
      )}
    </FormShell>
  );
}
