import { type SegmentNode } from '@reachloop/domain'
import { Button, Card, Radio, Space, Switch, Tag } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { type BuilderOptions } from './builder-options.js'
import { newCondition, type Group } from './new-condition.js'
import { ConditionEditor } from './ConditionEditor.js'

export type { BuilderOptions } from './builder-options.js'
export { newCondition } from './new-condition.js'
export { EventMatchEditor } from './EventMatchEditor.js'
export { WindowEditor } from './WindowEditor.js'
export { EventNamePicker, PropertyNamePicker, TraitNamePicker, ValueSuggest } from './CataloguePickers.js'

/** A group of conditions (AND / OR), each item possibly negated or itself a group. */
function GroupEditor({
  group,
  options,
  onChange,
  depth,
  path,
}: {
  group: Group
  options: BuilderOptions
  onChange: (g: Group) => void
  depth: number
  path: string
}) {
  const { t } = useI18n()
  const set = (i: number, node: SegmentNode | null) =>
    onChange({ ...group, children: node ? group.children.map((c, k) => (k === i ? node : c)) : group.children.filter((_, k) => k !== i) })
  return (
    <Card size="small" style={{ background: depth % 2 ? '#fafafa' : '#fff' }} data-testid={`group-${path}`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group
          size="small"
          value={group.kind}
          onChange={(e) => onChange({ ...group, kind: e.target.value as 'and' | 'or' })}
          optionType="button"
          options={[
            { value: 'and', label: t('segments.all') },
            { value: 'or', label: t('segments.any') },
          ]}
          data-testid={`group-kind-${path}`}
        />
        {group.children.map((child, i) => {
          const negated = child.kind === 'not'
          const inner = child.kind === 'not' ? child.child : child
          const wrap = (node: SegmentNode) => (negated ? { kind: 'not' as const, child: node } : node)
          return (
            <Space key={i} align="start" style={{ width: '100%' }} data-testid={`item-${path}-${i}`}>
              <Switch
                size="small"
                checked={negated}
                checkedChildren={t('segments.not')}
                unCheckedChildren={t('segments.matches')}
                onChange={(on) => set(i, on ? { kind: 'not', child: inner } : inner)}
              />
              {inner.kind === 'and' || inner.kind === 'or' ? (
                <GroupEditor group={inner} options={options} depth={depth + 1} path={`${path}-${i}`} onChange={(g) => set(i, wrap(g))} />
              ) : inner.kind === 'not' ? (
                <Tag>{t('segments.not')}</Tag>
              ) : (
                <ConditionEditor condition={inner} options={options} onChange={(c) => set(i, wrap(c))} />
              )}
              <Button size="small" type="link" danger onClick={() => set(i, null)}>
                {t('segments.remove')}
              </Button>
            </Space>
          )
        })}
        <Space>
          <Button
            size="small"
            onClick={() => onChange({ ...group, children: [...group.children, newCondition('trait', options)] })}
            data-testid={`add-condition-${path}`}
          >
            {t('segments.addCondition')}
          </Button>
          {depth < 4 && (
            <Button
              size="small"
              onClick={() =>
                onChange({ ...group, children: [...group.children, { kind: 'or', children: [newCondition('event', options)] }] })
              }
              data-testid={`add-group-${path}`}
            >
              {t('segments.addGroup')}
            </Button>
          )}
        </Space>
      </Space>
    </Card>
  )
}

/** The visual segment builder: nested groups of every condition kind, edited as a definition tree. */
export function SegmentBuilder({
  definition,
  options,
  onChange,
}: {
  definition: SegmentNode
  options: BuilderOptions
  onChange: (d: SegmentNode) => void
}) {
  const root: Group = definition.kind === 'and' || definition.kind === 'or' ? definition : { kind: 'and', children: [definition] }
  return <GroupEditor group={root} options={options} depth={0} path="root" onChange={onChange} />
}
