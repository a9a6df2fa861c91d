import {
  ApiOutlined,
  BarChartOutlined,
  BranchesOutlined,
  CalculatorOutlined,
  ClusterOutlined,
  AuditOutlined,
  BugOutlined,
  CloudUploadOutlined,
  DeploymentUnitOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  LockOutlined,
  LogoutOutlined,
  MailOutlined,
  MenuOutlined,
  NotificationOutlined,
  PlusOutlined,
  ProfileOutlined,
  ScheduleOutlined,
  SendOutlined,
  SafetyOutlined,
  SettingOutlined,
  TagsOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from '@ant-design/icons'
import { routes, type Permission } from '@reachloop/domain'
import { Button, Drawer, Dropdown, Flex, Form, Grid, Input, Layout, Menu, Modal, Select, Typography, type MenuProps } from 'antd'
import { useEffect, useState, type ReactNode } from 'react'
import { Link, useLocation } from 'react-router-dom'
import { ChangePasswordModal } from '../features/account/ChangePasswordModal.js'
import { api } from '../shared/api.js'
import { LanguageSwitch } from '../shared/LanguageSwitch.js'
import { useErrorMessage } from '../shared/use-error-message.js'
import { useI18n, type MessageKey } from '../i18n/i18n.js'
import { useMe, useSession } from '../shared/session.js'

/**
 * The console's pages, in the navigation's order, with the permission each needs. Pages of one
 * `group` show together as a submenu, where the group's first page stands.
 */
export const NAVIGATION: Array<{ path: string; label: MessageKey; icon: ReactNode; permission: Permission; group?: MessageKey }> = [
  { path: '/', label: 'nav.home', icon: <HomeOutlined />, permission: 'profiles.read' },
  { path: '/profiles', label: 'nav.profiles', icon: <IdcardOutlined />, permission: 'profiles.read' },
  { path: '/segments', label: 'nav.segments', icon: <ClusterOutlined />, permission: 'audiences.read' },
  { path: '/tags', label: 'nav.tags', icon: <TagsOutlined />, permission: 'audiences.read' },
  { path: '/computed-properties', label: 'nav.computedProperties', icon: <CalculatorOutlined />, permission: 'audiences.read' },
  { path: '/messaging/templates', label: 'nav.templates', icon: <MailOutlined />, permission: 'messaging.read', group: 'nav.messaging' },
  {
    path: '/messaging/providers',
    label: 'nav.providers',
    icon: <BranchesOutlined />,
    permission: 'messaging.read',
    group: 'nav.messaging',
  },
  {
    path: '/messaging/settings',
    label: 'nav.messagingSettings',
    icon: <SafetyOutlined />,
    permission: 'messaging.read',
    group: 'nav.messaging',
  },
  { path: '/broadcasts', label: 'nav.broadcasts', icon: <NotificationOutlined />, permission: 'messaging.read', group: 'nav.messaging' },
  {
    path: '/messaging/messages',
    label: 'nav.messageLog',
    icon: <UnorderedListOutlined />,
    permission: 'messaging.read',
    group: 'nav.messaging',
  },
  {
    path: '/messaging/stats',
    label: 'nav.deliveryStats',
    icon: <BarChartOutlined />,
    permission: 'messaging.read',
    group: 'nav.messaging',
  },
  { path: '/sources', label: 'nav.sources', icon: <ApiOutlined />, permission: 'profiles.read' },
  { path: '/catalogue', label: 'nav.catalogue', icon: <ProfileOutlined />, permission: 'profiles.read' },
  { path: '/imports', label: 'nav.imports', icon: <CloudUploadOutlined />, permission: 'profiles.read' },
  { path: '/identity', label: 'nav.identity', icon: <DeploymentUnitOutlined />, permission: 'profiles.read' },
  { path: '/quarantine', label: 'nav.quarantine', icon: <BugOutlined />, permission: 'profiles.read' },
  { path: '/users', label: 'nav.users', icon: <TeamOutlined />, permission: 'users.read' },
  { path: '/tokens', label: 'nav.tokens', icon: <KeyOutlined />, permission: 'tokens.manage' },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, permission: 'audit.read' },
  { path: '/jobs', label: 'nav.jobs', icon: <ScheduleOutlined />, permission: 'jobs.read' },
  { path: '/settings', label: 'nav.settings', icon: <SettingOutlined />, permission: 'workspace.read' },
]

function WorkspaceSwitcher({ compact }: { compact: boolean }) {
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
        // On a phone it takes what the header leaves; a long name is cut with an ellipsis.
        style={compact ? { width: '100%', minWidth: 0 } : { minWidth: 200 }}
        popupMatchSelectWidth={compact ? 220 : true}
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

/** The user menu: change one's password, sign out. On a phone the button shows only an icon. */
function UserMenu({ compact }: { compact: boolean }) {
  const me = useMe()
  const { t } = useI18n()
  const { signOut } = useSession()
  const [changing, setChanging] = useState(false)
  const who = `${me.user.name} · ${t(`role.${me.role ?? 'store_staff'}` as MessageKey)}`
  return (
    <>
      <Dropdown
        trigger={compact ? ['click'] : ['hover']}
        menu={{
          items: [
            ...(compact ? [{ key: 'who', label: who, disabled: true }] : []),
            {
              key: 'password',
              icon: <LockOutlined />,
              label: <span data-testid="change-password">{t('account.changePassword')}</span>,
              onClick: () => setChanging(true),
            },
            {
              key: 'signOut',
              icon: <LogoutOutlined />,
              label: <span data-testid="sign-out">{t('header.signOut')}</span>,
              onClick: () => void signOut(),
            },
          ],
        }}
      >
        <Button data-testid="user-menu" icon={compact ? <UserOutlined /> : undefined} aria-label={who}>
          {compact ? null : who}
        </Button>
      </Dropdown>
      <ChangePasswordModal open={changing} onClose={() => setChanging(false)} />
    </>
  )
}

/** The menu's items: a page's link, or a group's submenu holding its pages' links. */
function navigationItems(pages: typeof NAVIGATION, t: (key: MessageKey) => string): NonNullable<MenuProps['items']> {
  const link = (n: (typeof NAVIGATION)[number]) => ({
    key: n.path,
    icon: n.icon,
    label: (
      <Link to={n.path} data-testid={`nav-${n.path.slice(1).replaceAll('/', '-')}`}>
        {t(n.label)}
      </Link>
    ),
  })
  const items: NonNullable<MenuProps['items']> = []
  for (const n of pages) {
    if (!n.group) items.push(link(n))
    else if (pages.find((p) => p.group === n.group) === n)
      items.push({ key: n.group, icon: <SendOutlined />, label: t(n.group), children: pages.filter((p) => p.group === n.group).map(link) })
  }
  return items
}

/**
 * The signed-in frame: navigation on the left, workspace, language and account in the header. Below
 * the `md` breakpoint (phones) the navigation hides behind a menu button and opens as a drawer over
 * the page, closing when a page is picked.
 */
export function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n()
  const { can } = useSession()
  const location = useLocation()
  const screens = Grid.useBreakpoint()
  // Before the first measure every breakpoint reads false: wide until known, so a desktop does not flash.
  const compact = screens.md === false
  const [navOpen, setNavOpen] = useState(false)
  useEffect(() => setNavOpen(false), [location.pathname, compact])
  const allowed = NAVIGATION.filter((n) => can(n.permission))
  const items = navigationItems(allowed, t)
  // The page's entry is the longest path it is under (`/messaging/templates/…` is Templates).
  const selected = allowed
    .filter((n) => location.pathname === n.path || (n.path !== '/' && location.pathname.startsWith(`${n.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0]
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected ? [selected.path] : []}
      defaultOpenKeys={selected?.group ? [selected.group] : []}
      items={items}
      onClick={() => setNavOpen(false)}
      style={{ borderInlineEnd: 'none' }}
    />
  )
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!compact && (
        <Layout.Sider theme="light" width={210} style={{ borderRight: '1px solid #f0f0f0' }}>
          <Typography.Title level={4} style={{ padding: '16px 24px', margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          {menu}
        </Layout.Sider>
      )}
      {compact && (
        <Drawer
          placement="left"
          open={navOpen}
          onClose={() => setNavOpen(false)}
          size={240}
          title={t('app.name')}
          styles={{ body: { padding: 0 } }}
          data-testid="nav-drawer"
        >
          {menu}
        </Drawer>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header
          style={{ background: '#fff', padding: compact ? '0 12px' : '0 24px', borderBottom: '1px solid #f0f0f0', lineHeight: 'normal' }}
        >
          <Flex justify="space-between" align="center" gap={compact ? 8 : 12} style={{ height: '100%' }}>
            <Flex align="center" gap={8} style={{ minWidth: 0, flex: compact ? '1 1 auto' : undefined }}>
              {compact && (
                <Button icon={<MenuOutlined />} aria-label={t('account.menu')} onClick={() => setNavOpen(true)} data-testid="nav-toggle" />
              )}
              {!compact && <Typography.Text type="secondary">{t('header.workspace')}</Typography.Text>}
              <div style={{ minWidth: 0, flex: compact ? '1 1 auto' : undefined }}>
                <WorkspaceSwitcher compact={compact} />
              </div>
            </Flex>
            <Flex align="center" gap={compact ? 8 : 12} style={{ flex: 'none' }}>
              <LanguageSwitch />
              <UserMenu compact={compact} />
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: compact ? 12 : 24, minWidth: 0 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  )
}
