import { Card } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useRef, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useQuery } from '../../components/hooks.js';
import { ChartExport } from '../../components/ChartExport.js';
import { ErrorState } from '../../components/States.js';
import { CARD_GAP } from './PageHead.js';
import { FORM_CODES, GRADE_CODES } from './vocab.js';

const FONT = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif';
const GRADE_COLOURS: Record<string, string> = { good: '#389e0d', fairly_good: '#7cb305', average: '#d48806', poor: '#a8071a' };

function Bars({ labels, values, colours, testId, ref }: { labels: string[]; values: number[]; colours?: string[]; testId: string; ref?: Ref<ReactECharts> }) {
  return (
    <div data-testid={testId} data-values={values.join(',')}>
      <ReactECharts
        ref={ref}
        style={{ height: Math.max(150, labels.length * 28 + 30) }}
        opts={{ renderer: 'svg' }}
        option={{
          grid: { left: 8, right: 36, top: 4, bottom: 4, containLabel: true },
          xAxis: { type: 'value', minInterval: 1, axisLabel: { show: false }, splitLine: { show: false } },
          yAxis: { type: 'category', inverse: true, data: labels, axisTick: { show: false } },
          series: [{
            type: 'bar', barMaxWidth: 14, data: values.map((v, k) => ({ value: v, itemStyle: { color: colours?.[k] ?? '#a8071a' } })),
            label: { show: true, position: 'right' },
          }],
          textStyle: { fontFamily: FONT },
          animation: false,
        }}
      />
    </div>
  );
}

/** 问责人次 by form and 评估 by grade in the current round (analysis:accountabilityByForm / evaluationsByGrade). */
export function RatingsCharts({ roundId, tick }: { roundId: string; tick: number }) {
  const { t } = useTranslation('ratings');
  const { t: tc } = useTranslation();
  const acc = useQuery(() => call('analysis:accountabilityByForm', { roundId }), [roundId, tick]);
  const grades = useQuery(() => call('analysis:evaluationsByGrade', { roundId }), [roundId, tick]);
  const gradeChart = useRef<ReactECharts>(null);
  const formChart = useRef<ReactECharts>(null);
  const gradeLabels = GRADE_CODES.map((g) => t(`grades.${g}`));
  const gradeValues = GRADE_CODES.map((g) => grades.data?.totals.counts[g] ?? 0);
  const formLabels = FORM_CODES.map((f) => t(`forms.${f}`));
  const formValues = FORM_CODES.map((f) => acc.data?.totals.counts[f] ?? 0);
  /** The bars as rows, and their sum. */
  const table = (head: string, unit: string, labels: string[], values: number[]) => () => ({
    columns: [head, unit], rows: [...labels.map((l, k) => [l, values[k] ?? 0]), [tc('figureExport.total'), values.reduce((a, b) => a + b, 0)]],
  });
  const gradesTitle = t('chartGrades', { n: grades.data?.totals.total ?? 0 });
  const formsTitle = t('chartForms', { n: acc.data?.totals.total ?? 0 });
  return (
    <>
      <Card
        size="small" title={gradesTitle} style={CARD_GAP} loading={grades.loading && !grades.data}
        extra={grades.data && <ChartExport name={gradesTitle} chart={gradeChart} table={table(t('grade'), tc('figureExport.unitTimes'), gradeLabels, gradeValues)} roundId={roundId} testId="chart-grades" />}
      >
        {grades.error ? <ErrorState error={grades.error} /> : (
          <Bars ref={gradeChart} testId="chart-grades" labels={gradeLabels} values={gradeValues} colours={GRADE_CODES.map((g) => GRADE_COLOURS[g]!)} />
        )}
      </Card>
      <Card
        size="small" title={formsTitle} style={CARD_GAP} loading={acc.loading && !acc.data}
        extra={acc.data && <ChartExport name={formsTitle} chart={formChart} table={table(t('accForm'), tc('figureExport.personTimes'), formLabels, formValues)} roundId={roundId} testId="chart-forms" />}
      >
        {acc.error ? <ErrorState error={acc.error} /> : (
          <Bars ref={formChart} testId="chart-forms" labels={formLabels} values={formValues} />
        )}
      </Card>
    </>
  );
}
