import { Col, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { SECTORS, type InspectionRow, type TeamRow } from './shared.js';

/** 添加/编辑巡视组: number (第N组), optional name, leader. */
export function TeamForm({ roundId, team, nextNumber, onClose, onSaved }: {
  roundId: string; team: TeamRow | null; nextNumber: number; onClose(): void; onSaved(): void;
}) {
  const { t } = useTranslation('rounds');
  interface V { number: number; name?: string; leaderName?: string }
  return (
    <FormShell<V>
      title={team ? t('round.editTeam') : t('round.addTeam')} onClose={onClose} size={480} testId="team-form" doneText={null}
      initialValues={team ? { number: team.number, name: team.name, leaderName: team.leaderName ?? '' } : { number: nextNumber }}
      onSubmit={async (v) => {
        const arg = { number: v.number, name: v.name?.trim() || undefined, leaderName: v.leaderName?.trim() || null };
        if (team) await call('teams:update', { id: team.id, ...arg, name: v.name?.trim() || team.name });
        else await call('teams:create', { roundId, ...arg });
        onSaved();
      }}
    >
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="number" label={t('teamField.number')} rules={[{ required: true, message: t('required', { field: t('teamField.number') }) }]}>
            <InputNumber min={1} max={999} precision={0} style={{ width: '100%' }} autoFocus />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="leaderName" label={t('teamField.leaderName')}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="name" label={t('teamField.name')}>
        <Input maxLength={100} />
      </Form.Item>
    </FormShell>
  );
}

interface UnitOption { value: string; label: string; disabled: boolean }

/** Search units by name for the picker (a page of 50; the engine pages by name). */
function useUnitSearch(taken: Set<string>) {
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<UnitOption[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    const timer = setTimeout(() => {
      call('units:list', { q: q.trim() || undefined, limit: 50 }).then((r) => {
        if (mine !== seq.current) return;
        setOptions(r.items.map((u) => ({ value: u.id, label: u.name, disabled: taken.has(u.id) })));
        setLoading(false);
      }, () => mine === seq.current && setLoading(false));
    }, 200);
    return () => clearTimeout(timer);
  }, [q, taken]);
  return { options, loading, setQ };
}

/**
 * 添加被巡视单位: pick an existing unit or create one (units:create), then add it to the round
 * with its team (inspections:create). A unit is inspected at most once per round.
 */
export function AddUnitForm({ roundId, teams, inspections, anyUnits, onClose, onSaved }: {
  roundId: string; teams: TeamRow[]; inspections: InspectionRow[]; anyUnits: boolean; onClose(): void; onSaved(): void;
}) {
  const { t } = useTranslation('rounds');
  const [taken] = useState(() => new Set(inspections.map((i) => i.unitId)));
  const search = useUnitSearch(taken);
  const created = useRef<{ id: string; name: string; sector: string } | null>(null);
  interface V { mode: 'existing' | 'create'; unitId?: string; name?: string; sector?: (typeof SECTORS)[number]; teamId?: string | null }
  const req = (field: string) => [{ required: true, whitespace: true, message: t('required', { field }) }];
  return (
    <FormShell<V>
      title={t('round.addUnit')} onClose={onClose} testId="unit-form" doneText={null}
      initialValues={{ mode: anyUnits ? 'existing' : 'create', teamId: teams.length === 1 ? teams[0]!.id : null }}
      onSubmit={async (v) => {
        // A unit created on an earlier try whose inspection was refused is reused, not created twice.
        const again = created.current && created.current.name === v.name && created.current.sector === v.sector;
        const unitId = v.mode === 'create'
          ? (again ? created.current!.id : (created.current = await call('units:create', { name: v.name ?? null, sector: v.sector ?? null })).id)
          : v.unitId;
        await call('inspections:create', { roundId, unitId: unitId ?? null, teamId: v.teamId ?? null });
        onSaved();
      }}
    >
      {(form) => (
        <>
          <Form.Item name="mode" label={t('addUnit.mode')}>
            <Radio.Group
              optionType="button"
              options={[{ value: 'existing', label: t('addUnit.existing') }, { value: 'create', label: t('addUnit.create') }]}
              onChange={() => form.setFields([{ name: 'unitId', errors: [] }, { name: 'name', errors: [] }])}
            />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.mode !== b.mode}>
            {() => form.getFieldValue('mode') === 'create' ? (
              <Row gutter={12}>
                <Col span={15}>
                  <Form.Item name="name" label={t('addUnit.name')} rules={req(t('addUnit.name'))}>
                    <Input maxLength={200} placeholder={t('addUnit.namePlaceholder')} />
                  </Form.Item>
                </Col>
                <Col span={9}>
                  <Form.Item name="sector" label={t('addUnit.sector')} rules={[{ required: true, message: t('requiredPick', { field: t('addUnit.sector') }) }]}>
                    <Select options={SECTORS.map((k) => ({ value: k, label: t(`sectors.${k}`) }))} />
                  </Form.Item>
                </Col>
              </Row>
            ) : (
              <Form.Item name="unitId" label={t('addUnit.unitId')} rules={[{ required: true, message: t('requiredPick', { field: t('addUnit.unitId') }) }]}>
                <Select
                  showSearch={{ filterOption: false, onSearch: search.setQ }} placeholder={t('addUnit.unitSearch')}
                  loading={search.loading} options={search.options}
                />
              </Form.Item>
            )}
          </Form.Item>
          <Form.Item name="teamId" label={t('addUnit.teamId')}>
            <Select allowClear placeholder={t('addUnit.noTeam')} options={teams.map((x) => ({ value: x.id, label: x.name }))} />
          </Form.Item>
        </>
      )}
    </FormShell>
  );
}

/** 调整巡视组 of an inspected unit. */
export function ChangeTeamForm({ inspection, teams, onClose, onSaved }: {
  inspection: InspectionRow; teams: TeamRow[]; onClose(): void; onSaved(): void;
}) {
  const { t } = useTranslation('rounds');
  return (
    <FormShell<{ teamId?: string | null }>
      title={`${t('round.changeTeam')} · ${inspection.unitName}`} onClose={onClose} size={440} doneText={null}
      initialValues={{ teamId: inspection.teamId }}
      onSubmit={async (v) => {
        await call('inspections:update', { id: inspection.id, teamId: v.teamId ?? null });
        onSaved();
      }}
    >
      <Form.Item name="teamId" label={t('addUnit.teamId')}>
        <Select allowClear placeholder={t('addUnit.noTeam')} options={teams.map((x) => ({ value: x.id, label: x.name }))} />
      </Form.Item>
    </FormShell>
  );
}
