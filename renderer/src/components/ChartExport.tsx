/**
 * 导出 on a chart card or a statistics table card (工作台, 评估与问责's 汇总 charts): a menu with
 * 导出图片（PNG） (the chart drawn again by ECharts on a canvas at twice the pixels, on white, with
 * the card's title above it, written by the engine: files:savePng) and 导出表格（Excel） (the rows the
 * card's chart or table is drawn from, written by the engine: files:saveTable). The saved file is
 * shown afterwards: its folder and name, and in the browser preview a download link.
 *
 * The table is handed in by the card as a function of the same data its chart option is built
 * from, so the workbook holds the figures the chart shows, not a second query's.
 */
import { DownOutlined, ExportOutlined, FileExcelOutlined, FileImageOutlined } from '@ant-design/icons';
import { Alert, App, Button, Dropdown, Modal } from 'antd';
import dayjs from 'dayjs';
import { init, type EChartsOption } from 'echarts';
import type EChartsReact from 'echarts-for-react';
import { useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client.js';
import { call } from '../api/client.js';
import { useSession } from '../core/session.js';
import { WrittenFile } from '../screens/exchange/WrittenFile.js';
import { toApiError } from './hooks.js';
import { ErrorState } from './States.js';

export type FigureCell = string | number | null;
/** A card's figures as a table: header and rows, and lines under the title (the round and date are added). */
export interface FigureTable {
  columns: string[];
  rows: FigureCell[][];
  meta?: string[];
}

type Saved = NonNullable<Awaited<ReturnType<typeof call<'files:savePng'>>>>;
type Done = { kind: 'png'; saved: Saved } | { kind: 'xlsx'; saved: Saved; rows: number };

const TITLE_SPACE = 40;
const FONT = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif';

/**
 * The chart as a PNG data URL: charts on screen are drawn as SVG (sharp at any zoom), whose
 * getDataURL gives SVG, so the same option is drawn once more by ECharts on an unattached canvas
 * of the chart's size, with `title` above it.
 */
export function chartPng(chart: EChartsReact, title: string): string | null {
  const live = chart.getEchartsInstance();
  const width = live.getWidth();
  const height = live.getHeight();
  if (!width || !height) return null;
  const option = live.getOption() as EChartsOption & { grid?: { top?: unknown }[] };
  const grid = (option.grid ?? []).map((g) => ({ ...g, top: (typeof g.top === 'number' ? g.top : 8) + TITLE_SPACE }));
  const off = init(document.createElement('div'), null, { renderer: 'canvas', width, height: height + TITLE_SPACE });
  try {
    off.setOption({
      ...option, grid, animation: false,
      title: [{ text: title, left: 'center', top: 8, textStyle: { fontSize: 15, fontWeight: 'bold', fontFamily: FONT, color: '#262626' } }],
    });
    return off.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
  } finally {
    off.dispose();
  }
}

/**
 * The 导出 menu of a card. `name` is the card's title (file name, sheet title, PNG title);
 * `chart`, when given, offers the PNG; `table` gives the figures as rows.
 */
export function ChartExport({ name, chart, table, roundId, testId }: {
  name: string;
  chart?: RefObject<EChartsReact | null>;
  table: () => FigureTable;
  roundId?: string | null;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const s = useSession();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Done | null>(null);
  const [failed, setFailed] = useState<ApiError | null>(null);

  async function meta(extra: string[]): Promise<string[]> {
    const lines: string[] = [];
    if (roundId) {
      const rounds = await call('rounds:list', {});
      const r = rounds.find((x) => x.id === roundId);
      if (r) lines.push(t('figureExport.round', { r: r.name }));
    }
    return [...lines, ...extra, t('figureExport.date', { d: dayjs(s.today).format(t('print.dateFormat')) })];
  }

  async function run(kind: 'png' | 'xlsx') {
    setBusy(true);
    try {
      let result: Done | null;
      if (kind === 'png') {
        const url = chart?.current ? chartPng(chart.current, name) : null;
        if (!url?.startsWith('data:image/png;base64,')) {
          void message.warning(t('figureExport.notDrawn'));
          return;
        }
        const saved = await call('files:savePng', { name, base64: url.slice('data:image/png;base64,'.length) });
        result = saved && { kind, saved };
      } else {
        const x = table();
        const saved = await call('files:saveTable', { name, title: name, meta: await meta(x.meta ?? []), columns: x.columns, rows: x.rows });
        result = saved && { kind, saved, rows: saved.rows };
      }
      if (result) setDone(result);
      else void message.info(t('figureExport.cancelled'));
    } catch (e) {
      setFailed(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const items = [
    ...(chart ? [{ key: 'png', icon: <FileImageOutlined />, label: t('figureExport.png') }] : []),
    { key: 'xlsx', icon: <FileExcelOutlined />, label: t('figureExport.xlsx') },
  ];
  const close = () => { setDone(null); setFailed(null); };
  return (
    <>
      <Dropdown
        trigger={['click']} autoFocus disabled={busy}
        menu={{ items, onClick: ({ key }) => void run(key as 'png' | 'xlsx') }}
      >
        <Button
          size="small" type="text" icon={<ExportOutlined />} loading={busy} aria-haspopup="menu"
          aria-label={t('figureExport.label', { name })} data-testid={testId ? `figure-export-${testId}` : 'figure-export'}
        >
          {t('figureExport.button')} <DownOutlined />
        </Button>
      </Dropdown>
      <Modal
        open={done !== null || failed !== null} title={failed ? t('figureExport.label', { name }) : t('figureExport.doneTitle')} onCancel={close} destroyOnHidden width={560}
        footer={[<Button key="close" type="primary" onClick={close}>{t('actions.close')}</Button>]}
      >
        {done && (
          <div data-testid="figure-export-done">
            <Alert
              type="success" showIcon role="status" style={{ marginBottom: 8 }}
              title={done.kind === 'png' ? t('figureExport.donePng', { name }) : t('figureExport.doneXlsx', { name, n: done.rows })}
            />
            <WrittenFile path={done.saved.path} fileName={done.saved.fileName} bytes={done.saved.bytes} download={t('figureExport.download')} />
          </div>
        )}
        {failed && <ErrorState error={failed} />}
      </Modal>
    </>
  );
}
