/**
 * 导出台账 (Excel): the statutory 巡视整改台账 layout (db/excel/export.ts) for a round and a unit
 * or all of them, on A4 or A3. The desktop app asks where to save it; the browser preview writes
 * it into the ledger's 导出 folder and offers it for download.
 */
import { ExportOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Radio, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { toApiError } from '../../components/hooks.js';
import { RoundPicker, UnitPicker } from '../../components/lists/Pickers.js';
import { errorText } from '../../components/States.js';
import { useSession } from '../../core/session.js';
import { WrittenFile } from '../exchange/WrittenFile.js';
import { CARD_GAP } from '../settings/PageHead.js';
import type { Exported } from './api.js';

export function ExcelExport() {
  const { t } = useTranslation('excel');
  const { t: tc } = useTranslation();
  const s = useSession();
  const [roundId, setRoundId] = useState<string | null>(s.roundId ?? null);
  const [unit, setUnit] = useState<{ id: string; name: string } | null>(null);
  const [paper, setPaper] = useState<'A4' | 'A3'>('A4');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Exported | null>(null);
  const [cancelled, setCancelled] = useState(false);

  async function go() {
    setBusy(true);
    setError(null);
    setDone(null);
    setCancelled(false);
    try {
      const name = `${unit?.name ?? ''}${t('export.defaultName')}`;
      const r = await call('excel:export', { roundId, unitId: unit?.id ?? null, paper, name });
      if (r) setDone(r);
      else setCancelled(true);
    } catch (e) {
      setError(errorText(toApiError(e), tc));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card style={CARD_GAP} title={t('export.title')} data-testid="excel-export">
      <Typography.Paragraph type="secondary">{t('export.hint')}</Typography.Paragraph>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('export.round')} htmlFor="export-round">
          <RoundPicker id="export-round" className="xz-w-200" placeholder={t('export.allRounds')} aria-label={t('export.round')} value={roundId} onChange={(v) => setRoundId(v)} />
        </Form.Item>
        <Form.Item label={t('export.unit')} htmlFor="export-unit">
          <UnitPicker id="export-unit" className="xz-w-200" roundId={roundId} placeholder={t('export.allUnits')} aria-label={t('export.unit')}
            value={unit?.id ?? null} knownLabel={unit?.name} onChange={(v, label) => setUnit(v ? { id: v, name: label ?? '' } : null)} />
        </Form.Item>
        <Form.Item label={t('export.paper')}>
          <Radio.Group value={paper} onChange={(e) => setPaper(e.target.value as 'A4' | 'A3')} options={[{ value: 'A4', label: 'A4' }, { value: 'A3', label: 'A3' }]} aria-label={t('export.paper')} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" icon={<ExportOutlined />} loading={busy} onClick={() => void go()} data-testid="excel-export-go">{busy ? t('export.working') : t('export.go')}</Button>
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 12 }} />}
      {cancelled && <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>{t('export.cancelled')}</Typography.Paragraph>}
      {done && (
        <div style={{ marginTop: 12 }} data-testid="excel-export-done">
          <Alert type="success" showIcon title={t('export.done', { problems: done.problems, rows: done.rows })} role="status" style={{ marginBottom: 8 }} />
          <WrittenFile path={done.path} fileName={done.fileName} bytes={done.bytes} download={t('export.download')} />
        </div>
      )}
    </Card>
  );
}
