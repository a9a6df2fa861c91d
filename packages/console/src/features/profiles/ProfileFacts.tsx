import type { ProfileDetail } from '@reachloop/domain'
import { Card, Col, Descriptions, Empty, Row, Table, Typography } from 'antd'
import { useI18n, type Translate } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'
import { useMoney } from '../../shared/money-context.js'

/** A profile's traits, one per line. */
function TraitsCard({ traits }: { traits: ProfileDetail['traits'] }) {
  const { t } = useI18n()
  const money = useMoney()
  return (
    <Card title={t('profiles.traits')} size="small">
      {Object.keys(traits).length === 0 ? (
        <Empty />
      ) : (
        <Descriptions
          column={1}
          size="small"
          items={Object.entries(traits).map(([k, v]) => ({
            key: k,
            label: k,
            children: <span style={{ overflowWrap: 'anywhere' }}>{money.formatProperty(k, v)}</span>,
          }))}
        />
      )}
    </Card>
  )
}

/** Why two profiles became one: identity resolution at ingestion, or someone by hand. */
const mergeCause = (merge: ProfileDetail['merges'][number], t: Translate) =>
  merge.actor === null || merge.actor === 'ingestion' ? t('profiles.mergedByIngestion') : t('profiles.mergedBy', { actor: merge.actor })

/** How a profile is recognized: its identifiers, and the profiles merged into it. */
function IdentifiersCard({ profile }: { profile: ProfileDetail }) {
  const { t, language } = useI18n()
  return (
    <Card title={t('profiles.identifiers')} size="small">
      <Table
        rowKey={(i) => `${i.type}:${i.value}`}
        size="small"
        pagination={false}
        dataSource={profile.identifiers}
        scroll={{ x: 'max-content' }}
        data-testid="profile-identifiers"
        columns={[
          { title: t('sources.kind'), dataIndex: 'type' },
          { title: t('profiles.identifierValue'), dataIndex: 'value' },
          { title: t('profiles.firstSeen'), dataIndex: 'firstSeenAt', render: (at: string) => formatTime(at, language) },
        ]}
      />
      {profile.merges.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('profiles.merges')}
          </Typography.Title>
          {profile.merges.map((m) => (
            <Typography.Paragraph key={`${m.fromProfileId}-${m.mergedAt}`} type="secondary" data-testid="profile-merge">
              {`${formatTime(m.mergedAt, language)} · ${mergeCause(m, t)} · `}
              <Typography.Text type="secondary" code title={m.fromProfileId}>
                {t('profiles.mergedProfile', { id: m.fromProfileId.slice(0, 8) })}
              </Typography.Text>
            </Typography.Paragraph>
          ))}
        </>
      )}
    </Card>
  )
}

/** Who the customer is: traits beside identifiers. */
export function ProfileFacts({ profile }: { profile: ProfileDetail }) {
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <TraitsCard traits={profile.traits} />
      </Col>
      <Col xs={24} lg={12}>
        <IdentifiersCard profile={profile} />
      </Col>
    </Row>
  )
}
