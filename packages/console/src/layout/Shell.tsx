import {
  ApiOutlined,
  CalculatorOutlined,
  ClusterOutlined,
  AuditOutlined,
  BugOutlined,
  CloudUploadOutlined,
  DeploymentUnitOutlined,
  IdcardOutlined,
  KeyOutlined,
  LogoutOutlined,
  PlusOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TagsOutlined,
  TeamOutlined,
} from '@ant-design/icons'
import { routes, type Permission } from '@reachloop/domain'
import { Button, Dropdown, Flex, Form, Input, Layout, Menu, Modal, Select, Typography } from 'antd'
import { useState, type ReactNode } from 'react'
import { Link, useLocation } from 'react-router-dom'
import { api } from '../shared/api.js'
import { LanguageSwitch } from '../shared/LanguageSwitch.js'
import { useErrorMessage } from '../shared/use-error-message.js'
import { useI18n, type MessageKey } from '../i18n/i18n.js'
import { useMe, useSession } from '../shared/session.js'

/** The console's pages, in the navigation's order, with the permission each needs. */
export const NAVIGATION: Array<{ path: string; label: MessageKey; icon: ReactNode; permission: Permission }> = [
  { path: '/profiles', label: 'nav.profiles', icon: <IdcardOutlined />, permission: 'profiles.read' },
  { path: '/segments', label: 'nav.segments', icon: <ClusterOutlined />, permission: 'audiences.read' },
  { path: '/tags', label: 'nav.tags', icon: <TagsOutlined />, permission: 'audiences.read' },
  { path: '/computed-properties', label: 'nav.computedProperties', icon: <CalculatorOutlined />, permission: 'audiences.read' },
  { path: '/sources', label: 'nav.sources', icon: <ApiOutlined />, permission: 'profiles.read' },
  { path: '/imports', label: 'nav.imports', icon: <CloudUploadOutlined />, permission: 'profiles.read' },
  { path: '/identity', label: 'nav.identity', icon: <DeploymentUnitOutlined />, permission: 'profiles.read' },
  { path: '/quarantine', label: 'nav.quarantine', icon: <BugOutlined />, permission: 'profiles.read' },
  { path: '/users', label: 'nav.users', icon: <TeamOutlined />, permission: 'users.read' },
  { path: '/tokens', label: 'nav.tokens', icon: <KeyOutlined />, permission: 'tokens.manage' },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, permission: 'audit.read' },
  { path: '/jobs', label: 'nav.jobs', icon: <ScheduleOutlined />, permission: 'jobs.read' },
  { path: '/settings', label: 'nav.settings', icon: <SettingOutlined />, permission: 'workspace.read' },
]

function WorkspaceSwitcher() {
  const me = useMe()
  const { t } = useI18n()
  const { switchWorkspace } = useSession()
  const showError = useErrorMessage()
  const [creating, setCreating] = useState(false)
  const [form] = Form.useForm<{ name: string }>()
  const create = async () => {
    try {
      const { name } = await form.validateFields()
      const workspace = await api.call(routes.createWorkspace, { body: { name } })
      setCreating(false)
      form.resetFields()
      await switchWorkspace(workspace.id)
    } catch (error) {
      if (error instanceof Error) showError(error)
    }
  }
  return (
    <>
      <Select
        data-testid="workspace-switcher"
        style={{ minWidth: 200 }}
        value={me.currentWorkspaceId ?? undefined}
        options={me.workspaces.map((w) => ({ value: w.id, label: w.name }))}
        onChange={(id: string) => void switchWorkspace(id)}
        popupRender={(menu) => (
          <>
            {menu}
            <Button type="link" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('header.newWorkspace')}
            </Button>
          </>
        )}
      />
      <Modal
        title={t('header.newWorkspace')}
        open={creating}
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('field.workspace')} rules={[{ required: true, max: 100 }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  )
}

/** The signed-in frame: navigation on the left, workspace, language and account in the header. */
export function Shell({ children }: { children: ReactNode }) {
  const me = useMe()
  const { t } = useI18n()
  const { signOut, can } = useSession()
  const location = useLocation()
  const items = NAVIGATION.filter((n) => can(n.permission)).map((n) => ({
    key: n.path,
    icon: n.icon,
    label: (
      <Link to={n.path} data-testid={`nav-${n.path.slice(1)}`}>
        {t(n.label)}
      </Link>
    ),
  }))
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider theme="light" width={210} style={{ borderRight: '1px solid #f0f0f0' }}>
        <Typography.Title level={4} style={{ padding: '16px 24px', margin: 0 }}>
          {t('app.name')}
        </Typography.Title>
        <Menu mode="inline" selectedKeys={[`/${location.pathname.split('/')[1] ?? ''}`]} items={items} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', borderBottom: '1px solid #f0f0f0' }}>
          <Flex justify="space-between" align="center" style={{ height: '100%' }}>
            <Flex align="center" gap={8}>
              <Typography.Text type="secondary">{t('header.workspace')}</Typography.Text>
              <WorkspaceSwitcher />
            </Flex>
            <Flex align="center" gap={12}>
              <LanguageSwitch />
              <Dropdown
                menu={{
                  items: [
                    {
                      key: 'signOut',
                      icon: <LogoutOutlined />,
                      label: <span data-testid="sign-out">{t('header.signOut')}</span>,
                      onClick: () => void signOut(),
                    },
                  ],
                }}
              >
                <Button data-testid="user-menu">
                  {me.user.name} · {t(`role.${me.role ?? 'store_staff'}` as MessageKey)}
                </Button>
              </Dropdown>
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  )
}
