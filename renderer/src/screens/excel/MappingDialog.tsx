/**
 * 调整列对应: for one sheet, the header row and, per ledger field, the sheet's column (or none).
 * 应用 checks the workbook again with it; 保存此对应关系 keeps it under a name (a saved filter of
 * list 'excel'), and a later workbook whose header reads the same takes it by itself.
 */
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { toApiError } from '../../components/hooks.js';
import { errorText } from '../../components/States.js';
import { columnLetter, SHEET_FIELD_LABELS, SHEET_FIELDS, type SheetField } from '../../../../db/domain/sheet-columns.js';
import { mappingToFilter, type Columns, type SheetInfo, type SheetMapping } from './api.js';

type Values = { headerRow: number | null } & Partial<Record<SheetField, number | null>>;

export function MappingDialog({ sheet, current, onClose, onApply, onSaved }: {
  sheet: SheetInfo; current: SheetMapping | undefined; onClose(): void; onApply(m: SheetMapping): void; onSaved(): void;
}) {
  const { t } = useTranslation('excel');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [name, setName] = useState('');
  const [saveError, setSaveError] = useState<string | null>(null);
  const mapping: Columns = current?.columns ?? sheet.header?.mapping ?? {};
  const initial: Values = { headerRow: current?.headerRow != null ? current.headerRow + 1 : sheet.header ? sheet.header.row + 1 : null };
  // The columns as the chosen header row names them (the sheet's first rows come with the dry run).
  const headerRow = Form.useWatch('headerRow', form) ?? initial.headerRow;
  const titles = (typeof headerRow === 'number' ? sheet.sample[headerRow - 1] : undefined) ?? sheet.header?.titles ?? [];
  const width = Math.max(sheet.width, titles.length, ...Object.values(mapping).map((c) => (c ?? 0) + 1), 1);
  const options = Array.from({ length: width }, (_, i) => ({ value: i, label: t('sheets.column', { letter: columnLetter(i), title: titles[i] ?? '' }) }));
  for (const f of SHEET_FIELDS) initial[f] = mapping[f] ?? null;

  const toMapping = (v: Values): SheetMapping => {
    const columns: Columns = {};
    for (const f of SHEET_FIELDS) if (typeof v[f] === 'number') columns[f] = v[f];
    return { sheet: sheet.name, headerRow: typeof v.headerRow === 'number' ? v.headerRow - 1 : null, columns };
  };

  async function save() {
    setSaveError(null);
    const m = toMapping(form.getFieldsValue(true) as Values);
    try {
      await call('savedFilters:save', { list: 'excel', name, filter: mappingToFilter(m, titles), replace: true });
      void message.success(t('sheets.saved', { name: name.trim() }));
      onSaved();
    } catch (e) {
      setSaveError(errorText(toApiError(e), tc));
    }
  }

  return (
    <Modal
      open title={t('sheets.editTitle', { sheet: sheet.name })} width={820} onCancel={onClose} destroyOnHidden
      okText={t('options.again')} cancelText={tc('actions.cancel')} onOk={() => form.submit()}
    >
      <div data-testid="excel-mapping">
        <Typography.Paragraph type="secondary">{t('sheets.editHint')}</Typography.Paragraph>
        <Form form={form} layout="horizontal" labelCol={{ flex: '88px' }} initialValues={initial} onFinish={(v) => onApply(toMapping(v))} className="xz-excel-mapform">
          <Form.Item name="headerRow" label={t('sheets.headerRow')} className="xz-excel-mapform-wide">
            <InputNumber min={1} max={200000} />
          </Form.Item>
          {SHEET_FIELDS.map((f) => (
            <Form.Item key={f} name={f} label={SHEET_FIELD_LABELS[f]} style={{ marginBottom: 8 }}>
              <Select allowClear placeholder={t('sheets.none')} options={options} aria-label={SHEET_FIELD_LABELS[f]} />
            </Form.Item>
          ))}
        </Form>
        <Space.Compact style={{ width: '100%' }}>
          <Input placeholder={t('sheets.saveName')} aria-label={t('sheets.saveName')} value={name} maxLength={40} onChange={(e) => setName(e.target.value)} />
          <Button onClick={() => void save()} disabled={!name.trim()} data-testid="excel-mapping-save">{t('sheets.save')}</Button>
        </Space.Compact>
        {saveError && <Typography.Text type="danger" role="alert">{saveError}</Typography.Text>}
      </div>
    </Modal>
  );
}
