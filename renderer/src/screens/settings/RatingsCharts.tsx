import { Card } from 'antd';
import ReactECharts from 'echarts-for-react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useQuery } from '../../components/hooks.js';
import { ErrorState } from '../../components/States.js';
import { CARD_GAP } from './PageHead.js';
import { FORM_CODES, GRADE_CODES } from './vocab.js';

const FONT = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif';
const GRADE_COLOURS: Record<string, string> = { good: '#389e0d', fairly_good: '#7cb305', average: '#d48806', poor: '#a8071a' };

function Bars({ labels, values, colours, testId }: { labels: string[]; values: number[]; colours?: string[]; testId: string }) {
  return (
    <div data-testid={testId} data-values={values.join(',')}>
      <ReactECharts
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
  const acc = useQuery(() => call('analysis:accountabilityByForm', { roundId }), [roundId, tick]);
  const grades = useQuery(() => call('analysis:evaluationsByGrade', { roundId }), [roundId, tick]);
  return (
    <>
      <Card size="small" title={t('chartGrades', { n: grades.data?.totals.total ?? 0 })} style={CARD_GAP} loading={grades.loading && !grades.data}>
        {grades.error ? <ErrorState error={grades.error} /> : (
          <Bars
            testId="chart-grades" labels={GRADE_CODES.map((g) => t(`grades.${g}`))}
            values={GRADE_CODES.map((g) => grades.data?.totals.counts[g] ?? 0)} colours={GRADE_CODES.map((g) => GRADE_COLOURS[g]!)}
          />
        )}
      </Card>
      <Card size="small" title={t('chartForms', { n: acc.data?.totals.total ?? 0 })} style={CARD_GAP} loading={acc.loading && !acc.data}>
        {acc.error ? <ErrorState error={acc.error} /> : (
          <Bars testId="chart-forms" labels={FORM_CODES.map((f) => t(`forms.${f}`))} values={FORM_CODES.map((f) => acc.data?.totals.counts[f] ?? 0)} />
        )}
      </Card>
    </>
  );
}
