import { App as AntApp, ConfigProvider, Spin } from 'antd'
import enUS from 'antd/locale/en_US'
import zhCN from 'antd/locale/zh_CN'
import { BrowserRouter, Navigate, Route, Routes, useParams } from 'react-router-dom'
import { I18nProvider, useI18n } from './i18n/i18n.js'
import { NAVIGATION, Shell } from './layout/Shell.js'
import { AuditPage } from './features/audit/AuditPage.js'
import { JobsPage } from './features/jobs/JobsPage.js'
import { LoginPage } from './features/auth/LoginPage.js'
import { SettingsPage } from './features/settings/SettingsPage.js'
import { SetupPage } from './features/auth/SetupPage.js'
import { TokensPage } from './features/tokens/TokensPage.js'
import { UsersPage } from './features/users/UsersPage.js'
import { ProfilePage } from './features/profiles/ProfilePage.js'
import { ProfilesPage } from './features/profiles/ProfilesPage.js'
import { SourceDetailPage } from './features/sources/SourceDetailPage.js'
import { SourcesPage } from './features/sources/SourcesPage.js'
import { CataloguePage } from './features/catalogue/CataloguePage.js'
import { HomePage } from './features/home/HomePage.js'
import { IdentityPage } from './features/identity/IdentityPage.js'
import { ImportsPage } from './features/imports/ImportsPage.js'
import { QuarantinePage } from './features/quarantine/QuarantinePage.js'
import { ComputedPropertiesPage } from './features/computed-properties/ComputedPropertiesPage.js'
import { ComputedPropertyDetailPage } from './features/computed-properties/ComputedPropertyDetailPage.js'
import { ComputedPropertyEditPage } from './features/computed-properties/ComputedPropertyEditPage.js'
import { SegmentDetailPage } from './features/segments/SegmentDetailPage.js'
import { SegmentEditPage } from './features/segments/SegmentEditPage.js'
import { SegmentsPage } from './features/segments/SegmentsPage.js'
import { TagsPage } from './features/tags/TagsPage.js'
import { ConsentSettingsPage, ProvidersPage, TemplateEditPage, TemplatesPage } from './features/messaging/index.js'
import { BroadcastPage, BroadcastsPage, NewBroadcastPage } from './features/broadcasts/index.js'
import { DeliveryStatsPage, MessageLogPage, MessagePage } from './features/message-log/index.js'
import { SessionProvider, useSession } from './shared/session.js'
import { MoneyProvider } from './shared/money-context.js'

const PAGES: Record<string, () => React.JSX.Element> = {
  '/': HomePage,
  '/profiles': ProfilesPage,
  '/segments': SegmentsPage,
  '/tags': TagsPage,
  '/computed-properties': ComputedPropertiesPage,
  '/messaging/templates': TemplatesPage,
  '/messaging/providers': ProvidersPage,
  '/messaging/settings': ConsentSettingsPage,
  '/broadcasts': BroadcastsPage,
  '/messaging/messages': MessageLogPage,
  '/messaging/stats': DeliveryStatsPage,
  '/sources': SourcesPage,
  '/catalogue': CataloguePage,
  '/identity': IdentityPage,
  '/imports': ImportsPage,
  '/quarantine': QuarantinePage,
  '/users': UsersPage,
  '/tokens': TokensPage,
  '/audit': AuditPage,
  '/jobs': JobsPage,
  '/settings': SettingsPage,
}

/**
 * A page of one thing by its id, mounted afresh when the id changes: following a link from one
 * segment to another shows the new one's loading state, never the previous one's figures and
 * buttons (a Delete pressed in that moment acted on the previous segment).
 */
function ById({ page: Page }: { page: () => React.JSX.Element }) {
  const { id } = useParams()
  return <Page key={id} />
}

function Screens() {
  const { state, can } = useSession()
  if (state.status === 'loading') return <Spin fullscreen />
  if (state.status === 'setup') return <SetupPage />
  if (state.status === 'signedOut') return <LoginPage />
  const allowed = NAVIGATION.filter((n) => can(n.permission))
  return (
    <Shell key={state.me.currentWorkspaceId ?? 'none'}>
      <MoneyProvider>
        <Routes>
          {allowed.map((n) => {
            const Page = PAGES[n.path]
            return Page ? <Route key={n.path} path={n.path} element={<Page />} /> : null
          })}
          {can('profiles.read') && <Route path="/profiles/:id" element={<ById page={ProfilePage} />} />}
          {can('profiles.read') && <Route path="/sources/:id" element={<ById page={SourceDetailPage} />} />}
          {can('audiences.write') && <Route path="/segments/new" element={<SegmentEditPage />} />}
          {can('audiences.write') && <Route path="/segments/:id/edit" element={<ById page={SegmentEditPage} />} />}
          {can('audiences.read') && <Route path="/segments/:id" element={<ById page={SegmentDetailPage} />} />}
          {can('audiences.write') && <Route path="/computed-properties/new" element={<ComputedPropertyEditPage />} />}
          {can('audiences.write') && <Route path="/computed-properties/:id/edit" element={<ById page={ComputedPropertyEditPage} />} />}
          {can('audiences.read') && <Route path="/computed-properties/:id" element={<ById page={ComputedPropertyDetailPage} />} />}
          {can('messaging.read') && <Route path="/messaging/templates/:id" element={<ById page={TemplateEditPage} />} />}
          {can('messaging.write') && <Route path="/broadcasts/new" element={<NewBroadcastPage />} />}
          {can('messaging.read') && <Route path="/broadcasts/:id" element={<ById page={BroadcastPage} />} />}
          {can('messaging.read') && <Route path="/messaging/messages/:id" element={<ById page={MessagePage} />} />}
          <Route path="*" element={<Navigate to={allowed[0]?.path ?? '/settings'} replace />} />
        </Routes>
      </MoneyProvider>
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
