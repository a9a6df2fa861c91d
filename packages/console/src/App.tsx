import { App as AntApp, ConfigProvider, Spin } from 'antd'
import enUS from 'antd/locale/en_US'
import zhCN from 'antd/locale/zh_CN'
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom'
import { I18nProvider, useI18n } from './i18n/i18n.js'
import { NAVIGATION, Shell } from './layout/Shell.js'
import { AuditPage } from './pages/AuditPage.js'
import { JobsPage } from './pages/JobsPage.js'
import { LoginPage } from './pages/LoginPage.js'
import { SettingsPage } from './pages/SettingsPage.js'
import { SetupPage } from './pages/SetupPage.js'
import { TokensPage } from './pages/TokensPage.js'
import { UsersPage } from './pages/UsersPage.js'
import { ProfilePage } from './pages/ProfilePage.js'
import { ProfilesPage } from './pages/ProfilesPage.js'
import { SourceDetailPage } from './pages/SourceDetailPage.js'
import { SourcesPage } from './pages/SourcesPage.js'
import { IdentityPage } from './pages/IdentityPage.js'
import { ImportsPage } from './pages/ImportsPage.js'
import { QuarantinePage } from './pages/QuarantinePage.js'
import { ComputedPropertiesPage } from './pages/ComputedPropertiesPage.js'
import { ComputedPropertyDetailPage } from './pages/ComputedPropertyDetailPage.js'
import { ComputedPropertyEditPage } from './pages/ComputedPropertyEditPage.js'
import { SegmentDetailPage } from './pages/SegmentDetailPage.js'
import { SegmentEditPage } from './pages/SegmentEditPage.js'
import { SegmentsPage } from './pages/SegmentsPage.js'
import { TagsPage } from './pages/TagsPage.js'
import { SessionProvider, useSession } from './session.js'

const PAGES: Record<string, () => React.JSX.Element> = {
  '/profiles': ProfilesPage,
  '/segments': SegmentsPage,
  '/tags': TagsPage,
  '/computed-properties': ComputedPropertiesPage,
  '/sources': SourcesPage,
  '/identity': IdentityPage,
  '/imports': ImportsPage,
  '/quarantine': QuarantinePage,
  '/users': UsersPage,
  '/tokens': TokensPage,
  '/audit': AuditPage,
  '/jobs': JobsPage,
  '/settings': SettingsPage,
}

function Screens() {
  const { state, can } = useSession()
  if (state.status === 'loading') return <Spin fullscreen />
  if (state.status === 'setup') return <SetupPage />
  if (state.status === 'signedOut') return <LoginPage />
  const allowed = NAVIGATION.filter((n) => can(n.permission))
  return (
    <Shell key={state.me.currentWorkspaceId ?? 'none'}>
      <Routes>
        {allowed.map((n) => {
          const Page = PAGES[n.path]
          return Page ? <Route key={n.path} path={n.path} element={<Page />} /> : null
        })}
        {can('profiles.read') && <Route path="/profiles/:id" element={<ProfilePage />} />}
        {can('profiles.read') && <Route path="/sources/:id" element={<SourceDetailPage />} />}
        {can('audiences.write') && <Route path="/segments/new" element={<SegmentEditPage />} />}
        {can('audiences.write') && <Route path="/segments/:id/edit" element={<SegmentEditPage />} />}
        {can('audiences.read') && <Route path="/segments/:id" element={<SegmentDetailPage />} />}
        {can('audiences.write') && <Route path="/computed-properties/new" element={<ComputedPropertyEditPage />} />}
        {can('audiences.write') && <Route path="/computed-properties/:id/edit" element={<ComputedPropertyEditPage />} />}
        {can('audiences.read') && <Route path="/computed-properties/:id" element={<ComputedPropertyDetailPage />} />}
        <Route path="*" element={<Navigate to={allowed[0]?.path ?? '/settings'} replace />} />
      </Routes>
    </Shell>
  )
}

function Localized() {
  const { language } = useI18n()
  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#0f766e' } }}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Screens />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  )
}

export function ConsoleApp() {
  return (
    <I18nProvider>
      <Localized />
    </I18nProvider>
  )
}
