/**
 * 交换单位: each partner office with its kind, fingerprint, trust (已确认 / 待确认指纹), who
 * confirmed it and when, and its key history in the expanded row; 添加交换单位 and 确认指纹 for
 * those holding 'exchange.partners'. Partners are few (tens), so the list is not paged.
 */
import { PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { KeyGroups } from '../../components/KeySheet.js';
import type { Query } from '../../components/hooks.js';
import { EmptyState, ErrorState } from '../../components/States.js';
import { useSession } from '../../core/session.js';
import { minute, waitingKey, type Partner, type PartnerKey } from './api.js';

const TRUST_COLOURS: Record<Partner['trust'], string> = { confirmed: 'success', pending: 'warning' };

export function PartnersCard({ partners, onAdd, onConfirm }: { partners: Query<Partner[]>; onAdd(): void; onConfirm(p: Partner): void }) {
  const { t } = useTranslation('exchange');
  const { t: ta } = useTranslation('auth');
  const s = useSession();
  const manage = s.can('exchange.partners');
  const rows = partners.data ?? [];

  const extra = (
    <Space wrap>
      <Typography.Text type="secondary" data-testid="partner-count">{t('partners.count', { n: rows.length })}</Typography.Text>
      {manage && <Button size="small" type="primary" icon={<PlusOutlined />} onClick={onAdd} data-testid="add-partner">{t('partners.add')}</Button>}
    </Space>
  );

  return (
    <Card size="small" title={<h2 className="xz-card-h2">{t('partners.title')}</h2>} extra={extra}>
      {partners.error ? <ErrorState error={partners.error} onRetry={partners.reload} /> : (
        <Table<Partner>
          size="small" rowKey="officeId" pagination={false} loading={partners.loading} dataSource={rows} data-testid="partners"
          locale={{ emptyText: <EmptyState hint={manage ? t('partners.empty') : t('partners.emptyNoRight')} /> }}
          expandable={{ expandedRowRender: (p) => <KeyHistory keys={p.keys} /> }}
          columns={[
            { title: t('partners.col.name'), dataIndex: 'name', render: (n: string, p) => <>{n}<Typography.Text type="secondary"> · {ta(`levels.${p.level}`)}</Typography.Text></> },
            { title: t('partners.col.kind'), dataIndex: 'kind', width: 140, render: (k: Partner['kind']) => ta(`officeKinds.${k}`) },
            { title: t('partners.col.fingerprint'), dataIndex: 'fingerprint', width: 200, render: (f: string) => <KeyGroups value={f} size="small" /> },
            {
              title: t('partners.col.trust'), key: 'trust', width: 130, render: (_, p) => (
                <Space size={2} wrap>
                  <Tag color={TRUST_COLOURS[p.trust]} data-trust={p.trust}>{t(`partners.trust.${p.trust}`)}</Tag>
                  {p.trust === 'confirmed' && waitingKey(p) && <Tag color="warning">{t('partners.newKeyPending')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('partners.col.confirmed'), key: 'confirmed', width: 170,
              render: (_, p) => (p.confirmedAt ? (
                <span data-testid="partner-confirmed">
                  <span className="xz-nowrap">{minute(p.confirmedAt)}</span><br />
                  {p.confirmedBy ?? <Typography.Text type="secondary">{t('partners.bySignature')}</Typography.Text>}
                </span>
              ) : '—'),
            },
            ...(manage ? [{
              title: t('partners.col.ops'), key: 'ops', width: 110, render: (_: unknown, p: Partner) => waitingKey(p) && (
                <Button size="small" type="link" icon={<SafetyCertificateOutlined />} onClick={() => onConfirm(p)} aria-label={t('partners.confirmOf', { name: p.name })}>
                  {t('partners.confirm')}
                </Button>
              ),
            }] : []),
          ]}
        />
      )}
    </Card>
  );
}

/** A partner's keys, oldest first: where each came from, when it was confirmed (and by whom), when retired and why. */
function KeyHistory({ keys }: { keys: PartnerKey[] }) {
  const { t } = useTranslation('exchange');
  return (
    <div className="xz-exchange-history">
      <h3 className="xz-exchange-h3">{t('partners.history')}</h3>
      <Table<PartnerKey>
        size="small" rowKey="fingerprint" pagination={false} dataSource={keys} data-testid="partner-keys"
        columns={[
          { title: t('partners.keyCol.fingerprint'), dataIndex: 'fingerprint', width: 200, render: (f: string) => <KeyGroups value={f} size="small" /> },
          { title: t('partners.keyCol.status'), dataIndex: 'status', width: 80, render: (st: PartnerKey['status']) => t(`partners.keyStatus.${st}`) },
          { title: t('partners.keyCol.source'), dataIndex: 'source', width: 90, render: (src: PartnerKey['source']) => t(`partners.keySource.${src}`) },
          { title: t('partners.keyCol.addedAt'), dataIndex: 'addedAt', width: 140, render: (at: string) => minute(at) },
          {
            title: t('partners.keyCol.confirmed'), key: 'confirmed', width: 250,
            render: (_, k) => (k.confirmedAt ? `${minute(k.confirmedAt)} · ${k.confirmedBy ?? t('partners.bySignature')}` : t('partners.notConfirmed')),
          },
          { title: t('partners.keyCol.retired'), key: 'retired', render: (_, k) => (k.retiredAt ? `${minute(k.retiredAt)}${k.retiredReason ? ` · ${k.retiredReason}` : ''}` : '—') },
        ]}
      />
    </div>
  );
}
