import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import type { ClockRules } from '../../../../db/domain/clock-rules.js';
import { call } from '../../api/client.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { ErrorState } from '../../components/States.js';
import { CARD_GAP } from './PageHead.js';
import { RULE_FIELDS } from './vocab.js';

type RuleSet = Awaited<ResultOf<'ruleSets:list'>>[number];
type Round = Awaited<ResultOf<'rounds:list'>>[number];

interface Values {
  code?: string;
  name?: string;
  basis?: string;
  rules?: Partial<Record<keyof ClockRules, number | null>>;
}

/**
 * 时限规则: versioned rule sets (a change is a new version, never an edit, so rounds already
 * counted keep their deadlines) and the set each round follows.
 */
export function RulesTab() {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const { message, modal } = App.useApp();
  const report = useErrorReport();
  const sets = useQuery(() => call('ruleSets:list'), []);
  const rounds = useQuery(() => call('rounds:list', {}), []);
  const [base, setBase] = useState<{ from: RuleSet | null } | null>(null);

  const newest = (sets.data ?? []).find(() => true) ?? null;
  useWindowEvent('xz:new', () => { if (!base) open(newest); });

  const open = (from: RuleSet | null) => setBase({ from });

  async function save(v: Values) {
    // An empty rule reaches the engine as missing: its refusal names the field (rules.warnDays …).
    const rules = (v.rules ?? {}) as ClockRules;
    const r = await call('ruleSets:createVersion', { code: v.code ?? null, name: v.name ?? null, basis: v.basis ?? null, rules });
    void message.success(t('versionCreated', { code: r.code, version: r.ruleVersion }));
    sets.reload();
  }

  function setRoundRules(round: Round, ruleSetId: string) {
    const rs = sets.data?.find((x) => x.id === ruleSetId);
    if (!rs) return;
    modal.confirm({
      title: t('setRoundTitle', { round: round.name }),
      content: t('setRoundContent', { name: rs.name, version: rs.ruleVersion }),
      okText: tc('actions.confirm'), cancelText: tc('actions.cancel'),
      onOk: async () => {
        try {
          await call('rounds:setRuleSet', { roundId: round.id, ruleSetId });
          void message.success(tc('states.saved'));
        } catch (e) {
          report(e);
        }
        rounds.reload();
        sets.reload();
      },
    });
  }

  const ruleColumns = RULE_FIELDS.map((f) => ({
    title: <Tooltip title={t(`rules.${f.key}`)}><span>{t(`rulesShort.${f.key}`)}</span></Tooltip>,
    key: f.key, width: 74, align: 'right' as const,
    render: (_: unknown, r: RuleSet) => <span data-rule={f.key}>{r.rules[f.key]}</span>,
  }));

  return (
    <div>
      <Card
        size="small" style={CARD_GAP} type="inner"
        title={<Space>{t('ruleSetsTitle')}<Typography.Text type="secondary">{t('ruleSetsHint')}</Typography.Text></Space>}
        extra={<Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => open(null)}>{t('newRuleSet')}</Button>}
      >
        {sets.error ? <ErrorState error={sets.error} onRetry={sets.reload} /> : (
          <Table<RuleSet>
            size="small" rowKey="id" sticky pagination={false} loading={sets.loading} dataSource={sets.data ?? []} data-testid="rule-sets"
            scroll={{ x: 1040 }}
            columns={[
              { title: t('ruleCode'), dataIndex: 'code', width: 100, ellipsis: true },
              { title: t('ruleName'), dataIndex: 'name', ellipsis: true, render: (n: string, r) => <Tooltip title={r.basis}>{n}</Tooltip> },
              { title: t('ruleVersion'), dataIndex: 'ruleVersion', width: 60, align: 'right', render: (v: number) => `v${v}` },
              ...ruleColumns,
              { title: t('roundCount'), dataIndex: 'roundCount', width: 70, align: 'right' },
              {
                title: t('ops'), key: 'ops', width: 96, fixed: 'right',
                render: (_, r) => <Button size="small" type="link" onClick={() => open(r)}>{t('newVersion')}</Button>,
              },
            ]}
          />
        )}
      </Card>

      <Card size="small" type="inner" title={t('roundRulesTitle')}>
        {rounds.error ? <ErrorState error={rounds.error} onRetry={rounds.reload} /> : (
          <Table<Round>
            size="small" rowKey="id" pagination={false} loading={rounds.loading} dataSource={rounds.data ?? []} data-testid="round-rules"
            locale={{ emptyText: t('noRounds') }}
            columns={[
              { title: t('round'), dataIndex: 'name', ellipsis: true },
              {
                title: t('roundRuleSet'), key: 'rs', width: 420,
                render: (_, r) => (
                  <Select
                    size="small" style={{ width: 400 }} value={r.ruleSetId} aria-label={t('roundRuleSetOf', { round: r.name })}
                    onChange={(id: string) => setRoundRules(r, id)}
                    options={(sets.data ?? []).map((x) => ({ value: x.id, label: `${x.name} · ${x.code} v${x.ruleVersion}` }))}
                  />
                ),
              },
            ]}
          />
        )}
      </Card>

      {base && (
        <FormShell<Values>
          kind="drawer" onClose={() => setBase(null)} onSubmit={save} size={600} doneText={null}
          title={base.from ? t('newVersionOf', { code: base.from.code, version: base.from.ruleVersion + 1 }) : t('newRuleSet')}
          okText={t('createVersion')}
          initialValues={base.from
            ? { code: base.from.code, name: base.from.name, basis: base.from.basis ?? undefined, rules: { ...base.from.rules } }
            : { rules: {} }}
        >
          <Typography.Paragraph type="secondary">{t('versionIntro')}</Typography.Paragraph>
          <Row gutter={12}>
            <Col span={10}>
              <Form.Item name="code" label={t('ruleCode')} rules={[{ required: true, message: t('required', { field: t('ruleCode') }) }]}>
                <Input maxLength={40} disabled={base.from !== null} />
              </Form.Item>
            </Col>
            <Col span={14}>
              <Form.Item name="name" label={t('ruleName')} rules={[{ required: true, message: t('required', { field: t('ruleName') }) }]}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="basis" label={t('ruleBasis')}><Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} /></Form.Item>
          <Row gutter={12}>
            {RULE_FIELDS.map((f) => (
              <Col span={12} key={f.key}>
                <Form.Item name={['rules', f.key]} label={t(`rules.${f.key}`)} extra={t('range', { min: f.min, max: f.max })}>
                  <InputNumber style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </FormShell>
      )}
    </div>
  );
}
