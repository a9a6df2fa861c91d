export { ConsentSettingsPage } from './ConsentSettingsPage.js'
export { ProvidersPage } from './ProvidersPage.js'
export { TemplateEditPage } from './TemplateEditPage.js'
export { TemplatesPage } from './TemplatesPage.js'
