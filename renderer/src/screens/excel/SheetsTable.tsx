/** Each sheet of the workbook: where its header is, what it gives, and how its columns were understood. */
import { EditOutlined } from '@ant-design/icons';
import { Button, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { columnLetter, SHEET_FIELD_LABELS, SHEET_FIELDS } from '../../../../db/domain/sheet-columns.js';
import type { SheetInfo } from './api.js';

export function SheetsTable({ sheets, usedSaved, onEdit, disabled }: {
  sheets: SheetInfo[]; usedSaved: Record<string, string>; onEdit(sheet: string): void; disabled?: boolean;
}) {
  const { t } = useTranslation('excel');
  return (
    <Table
      size="small" rowKey="name" dataSource={sheets} pagination={sheets.length > 10 ? { pageSize: 10, showSizeChanger: false } : false} data-testid="excel-sheets"
      columns={[
        { key: 'name', title: t('sheets.sheet'), dataIndex: 'name', width: 160 },
        {
          key: 'header', title: t('sheets.header'), width: 170,
          render: (_, s) => !s.header
            ? <Typography.Text type="warning">{t('sheets.noHeader')}</Typography.Text>
            : s.header.rows === 2 ? t('sheets.headerTwo', { from: s.header.row, row: s.header.row + 1 }) : t('sheets.headerAt', { row: s.header.row + 1 }),
        },
        { key: 'counts', title: '', width: 220, render: (_, s) => (s.header ? t('sheets.counts', s) : null) },
        {
          key: 'mapping', title: t('sheets.mapping'),
          render: (_, s) => (
            <>
              {usedSaved[s.name] && <Typography.Text type="success" style={{ display: 'block' }}>{t('sheets.savedAs', { name: usedSaved[s.name] })}</Typography.Text>}
              {s.header && SHEET_FIELDS.filter((f) => typeof s.header!.mapping[f] === 'number').map((f) => (
                <Tag key={f} className="xz-excel-map">{SHEET_FIELD_LABELS[f]}→{columnLetter(s.header!.mapping[f]!)}</Tag>
              ))}
            </>
          ),
        },
        {
          key: 'edit', title: '', width: 120,
          render: (_, s) => (
            <Button size="small" icon={<EditOutlined />} onClick={() => onEdit(s.name)} disabled={disabled} aria-label={`${t('sheets.edit')}：${s.name}`}>
              {t('sheets.edit')}
            </Button>
          ),
        },
      ]}
    />
  );
}
