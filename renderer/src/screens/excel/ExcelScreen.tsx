/**
 * Excel 导入导出 ('#/excel/import', '#/excel/export'; the 文件 menu's 导入Excel台账… and
 * 导出台账（Excel）… open their tab): importing needs 'ledger.write', exporting 'ledger.read'.
 */
import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { navigate, useRoute } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { PageHead } from '../settings/PageHead.js';
import { ExcelExport } from './ExcelExport.js';
import { ExcelImport } from './ExcelImport.js';
import './excel.css';

export function ExcelScreen() {
  const { t } = useTranslation('excel');
  const s = useSession();
  const route = useRoute();
  const canImport = s.can('ledger.write');
  const tab = route.id === 'export' || !canImport ? 'export' : 'import';
  return (
    <div>
      <PageHead title={t('title')} />
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab} onChange={(k) => navigate('excel', k)}
        items={[
          ...(canImport ? [{ key: 'import', label: t('tabs.import'), children: <ExcelImport /> }] : []),
          { key: 'export', label: t('tabs.export'), children: <ExcelExport /> },
        ]}
      />
    </div>
  );
}
