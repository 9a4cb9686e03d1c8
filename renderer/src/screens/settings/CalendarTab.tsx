import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Input, InputNumber, Radio, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { DAY, toDay } from '../../components/forms/dates.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { useReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { ErrorState } from '../../components/States.js';

type CalendarDay = Awaited<ResultOf<'calendar:list'>>[number];
interface Values { day?: Dayjs | null; kind: 'holiday' | 'workday'; name?: string }

/**
 * 节假日: the official holiday calendar with its 调休 working days, as editable data (the working-day
 * clocks, e.g. 函询回复 15个工作日, count with it). Removing a day needs a reason.
 */
export function CalendarTab() {
  const { t } = useTranslation('settings');
  const { message } = App.useApp();
  const report = useErrorReport();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const days = useQuery(() => call('calendar:list', { year }), [year]);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [ask, reasonHolder] = useReasonPrompt();
  const [lastSet, setLastSet] = useState<string | null>(null);

  // Bring the day just set into view (the list is long: a whole year).
  useEffect(() => {
    if (lastSet && days.data) document.querySelector(`[data-day="${lastSet}"]`)?.scrollIntoView({ block: 'center' });
  }, [lastSet, days.data]);

  useWindowEvent('xz:new', () => form.getFieldInstance('day')?.focus?.());

  async function add(v: Values) {
    setBusy(true);
    try {
      const day = toDay(v.day);
      const r = await call('calendar:set', { day, kind: v.kind, name: v.name ?? null });
      void message.success(r.created ? t('dayAdded', { day: r.day }) : t('dayChanged', { day: r.day }));
      form.resetFields(['day', 'name']);
      setLastSet(r.day);
      const y = Number(r.day.slice(0, 4));
      if (y !== year) setYear(y);
      else days.reload();
    } catch (e) {
      report(e, form);
    } finally {
      setBusy(false);
    }
  }

  function remove(d: CalendarDay) {
    ask({
      title: t('removeDayTitle', { day: d.day, name: d.name }), label: t('removeReason'), okText: t('removeDay'),
      doneText: t('dayRemoved', { day: d.day }),
      onSubmit: async (reason) => {
        await call('calendar:remove', { day: d.day, reason });
        days.reload();
      },
    });
  }

  const list = days.data ?? [];
  const holidays = list.filter((d) => d.kind === 'holiday').length;
  return (
    <div>
      <Form<Values> form={form} layout="inline" initialValues={{ kind: 'holiday' }} onFinish={(v) => void add(v)} style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item name="day" label={t('day')} rules={[{ required: true, message: t('required', { field: t('day') }) }]}>
          <DatePicker format={DAY} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="kind">
          <Radio.Group optionType="button" options={[{ value: 'holiday', label: t('kindHoliday') }, { value: 'workday', label: t('kindWorkday') }]} />
        </Form.Item>
        <Form.Item name="name" label={t('dayName')} rules={[{ required: true, message: t('required', { field: t('dayName') }) }]}>
          <Input maxLength={50} style={{ width: 160 }} placeholder={t('dayNamePlaceholder')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('setDay')}</Button>
      </Form>

      <Space style={{ marginBottom: 8 }}>
        <Button size="small" icon={<LeftOutlined />} aria-label={t('prevYear')} onClick={() => setYear((y) => y - 1)} />
        <InputNumber size="small" value={year} min={1949} max={2200} aria-label={t('year')} onChange={(y) => y && setYear(y)} style={{ width: 90 }} />
        <Button size="small" icon={<RightOutlined />} aria-label={t('nextYear')} onClick={() => setYear((y) => y + 1)} />
        <Typography.Text type="secondary" data-testid="calendar-count">
          {t('calendarCount', { year, holidays, workdays: list.length - holidays })}
        </Typography.Text>
      </Space>
      {days.error ? <ErrorState error={days.error} onRetry={days.reload} /> : (
        <Table<CalendarDay>
          size="small" rowKey="id" sticky pagination={false} loading={days.loading} dataSource={list} data-testid="calendar"
          scroll={{ y: 'calc(100vh - 330px)' }}
          rowClassName={(d) => (d.day === lastSet ? 'ant-table-row-selected' : '')}
          locale={{ emptyText: t('noDays', { year }) }}
          columns={[
            { title: t('day'), dataIndex: 'day', width: 120, render: (d: string) => <span data-day={d}>{d}</span> },
            { title: t('weekday'), dataIndex: 'weekday', width: 80, render: (w: number) => t(`weekdays.${w}`) },
            { title: t('dayKind'), dataIndex: 'kind', width: 110, render: (k: string) => (k === 'holiday' ? <Tag color="red">{t('kindHoliday')}</Tag> : <Tag color="blue">{t('kindWorkday')}</Tag>) },
            { title: t('dayName'), dataIndex: 'name', ellipsis: true },
            {
              title: t('ops'), key: 'ops', width: 80,
              render: (_, d) => <Button size="small" type="link" danger onClick={() => remove(d)}>{t('removeDay')}</Button>,
            },
          ]}
        />
      )}
      {reasonHolder}
    </div>
  );
}
