import { randomUUID } from 'node:crypto'
import {
  fail,
  ok,
  PROVIDER_CHANNEL,
  type NewProviderAccount,
  type ProviderAccount,
  type ProviderAccountChange,
  type Result,
} from '@reachloop/domain'
import { Value } from '@sinclair/typebox/value'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import { recordAudit } from '../../platform/audit/audit-service.js'
import type { AppContext } from '../../platform/context.js'
import { transact } from '../../platform/db/database.js'
import { randomSecret } from '../../platform/crypto/tokens.js'
import {
  deleteAccount,
  insertAccount,
  providerAccount,
  providerAccounts,
  updateAccount,
  type ProviderAccountRecord,
} from './provider-accounts-repository.js'
import { adapterOf, availableProviderKinds } from './providers/registry.js'
import { providerDeps } from './provider-deps.js'
import { CALLBACK_PATH } from './callback-routes.js'

/** An account as the API shows it: secrets never, only which are set. */
export function toProviderAccount(ctx: AppContext, r: ProviderAccountRecord): ProviderAccount {
  return {
    id: r.id,
    kind: r.kind,
    channel: r.channel,
    name: r.name,
    config: r.publicConfig,
    secretsSet: r.secretFields.filter((f) => r.config[f] !== undefined && r.config[f] !== ''),
    ratePerSecond: r.ratePerSecond,
    isDefault: r.isDefault,
    callbackUrl: `${ctx.config.publicUrl.replace(/\/$/, '')}${CALLBACK_PATH}${r.callbackKey}`,
    createdAt: r.createdAt.toISOString(),
  }
}

export function providerKinds() {
  return availableProviderKinds().map((kind) => {
    const adapter = adapterOf(kind)
    return {
      kind,
      channel: PROVIDER_CHANNEL[kind],
      configSchema: adapter?.configSchema ?? {},
      secretFields: [...(adapter?.secretFields ?? [])],
      acceptsIdempotencyKey: adapter?.acceptsIdempotencyKey ?? false,
    }
  })
}

/** Checks a configuration against its kind's schema (defaults filled) and splits out the secrets. */
function splitConfig(
  kind: NewProviderAccount['kind'],
  config: Record<string, unknown>,
): Result<{ publicConfig: Record<string, unknown>; secrets: Record<string, unknown> }> {
  const adapter = adapterOf(kind)
  if (!adapter) return fail('INVALID_PROVIDER_CONFIG', `No adapter for ${kind} in this build.`, { field: 'body.kind' })
  const filled = Value.Default(adapter.configSchema, structuredClone(config)) as Record<string, unknown>
  if (!Value.Check(adapter.configSchema, filled)) {
    const errors = [...Value.Errors(adapter.configSchema, filled)]
      .slice(0, 10)
      .map((e) => ({ field: `body.config${e.path.replaceAll('/', '.')}`, message: e.message }))
    return fail('INVALID_PROVIDER_CONFIG', undefined, { fields: errors })
  }
  const publicConfig: Record<string, unknown> = {}
  const secrets: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(filled)) (adapter.secretFields.includes(key) ? secrets : publicConfig)[key] = value
  return ok({ publicConfig, secrets })
}

export async function listProviderAccounts(ctx: AppContext, workspaceId: string): Promise<ProviderAccount[]> {
  return (await providerAccounts(ctx, ctx.db, workspaceId)).map((r) => toProviderAccount(ctx, r))
}

export async function createProviderAccount(
  ctx: AppContext,
  scope: WorkspaceScope,
  input: NewProviderAccount,
): Promise<Result<ProviderAccount>> {
  const split = splitConfig(input.kind, input.config)
  if (!split.ok) return split
  return transact(ctx.db, async (tx) => {
    if ((await providerAccounts(ctx, tx, scope.workspaceId)).some((a) => a.name === input.name))
      return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    const id = randomUUID()
    const channel = PROVIDER_CHANNEL[input.kind]
    const isFirst = !(await providerAccounts(ctx, tx, scope.workspaceId)).some((a) => a.channel === channel)
    await insertAccount(ctx, tx, scope.workspaceId, id, randomSecret(18), {
      kind: input.kind,
      channel,
      name: input.name,
      ...split.value,
      ratePerSecond: input.ratePerSecond ?? null,
      isDefault: input.isDefault ?? isFirst,
    })
    const created = await providerAccount(ctx, tx, scope.workspaceId, id)
    if (!created) return fail('PROVIDER_ACCOUNT_NOT_FOUND')
    const shown = toProviderAccount(ctx, created)
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'provider.create',
      entityType: 'provider_account',
      entityId: id,
      after: shown,
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(shown)
  })
}

export async function updateProviderAccount(
  ctx: AppContext,
  scope: WorkspaceScope,
  id: string,
  change: ProviderAccountChange,
): Promise<Result<ProviderAccount>> {
  return transact(ctx.db, async (tx) => {
    const before = await providerAccount(ctx, tx, scope.workspaceId, id)
    if (!before) return fail('PROVIDER_ACCOUNT_NOT_FOUND')
    if (
      change.name &&
      change.name !== before.name &&
      (await providerAccounts(ctx, tx, scope.workspaceId)).some((a) => a.name === change.name)
    )
      return fail('NAME_TAKEN', undefined, { field: 'body.name' })
    let config = before.config
    if (change.config) {
      // A secret left out or empty keeps what is stored: the console never has it to send back.
      const kept = Object.fromEntries(
        Object.entries(change.config).filter(([k, v]) => !(before.secretFields.includes(k) && (v === '' || v === undefined))),
      )
      config = { ...before.config, ...kept }
    }
    const split = splitConfig(before.kind, config)
    if (!split.ok) return split
    await updateAccount(ctx, tx, scope.workspaceId, id, {
      name: change.name ?? before.name,
      channel: before.channel,
      ...split.value,
      ratePerSecond: change.ratePerSecond !== undefined ? change.ratePerSecond : before.ratePerSecond,
      isDefault: change.isDefault ?? before.isDefault,
    })
    const after = await providerAccount(ctx, tx, scope.workspaceId, id)
    if (!after) return fail('PROVIDER_ACCOUNT_NOT_FOUND')
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'provider.update',
      entityType: 'provider_account',
      entityId: id,
      before: toProviderAccount(ctx, before),
      after: toProviderAccount(ctx, after),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok(toProviderAccount(ctx, after))
  })
}

export async function deleteProviderAccount(ctx: AppContext, scope: WorkspaceScope, id: string): Promise<Result<Record<string, never>>> {
  return transact(ctx.db, async (tx) => {
    const before = await providerAccount(ctx, tx, scope.workspaceId, id)
    if (!before || !(await deleteAccount(tx, scope.workspaceId, id))) return fail('PROVIDER_ACCOUNT_NOT_FOUND')
    await recordAudit(tx, {
      workspaceId: scope.workspaceId,
      actor: scope.actor,
      action: 'provider.delete',
      entityType: 'provider_account',
      entityId: id,
      before: toProviderAccount(ctx, before),
      requestId: scope.requestId,
      at: ctx.clock.now(),
    })
    return ok({})
  })
}

/** "Test connection": the adapter's harmless real call (a token fetch, a validation-only push…). */
export async function testProviderAccount(
  ctx: AppContext,
  scope: WorkspaceScope,
  id: string,
): Promise<Result<{ ok: boolean; detail: string; code?: string }>> {
  const account = await providerAccount(ctx, ctx.db, scope.workspaceId, id)
  if (!account) return fail('PROVIDER_ACCOUNT_NOT_FOUND')
  const adapter = adapterOf(account.kind)
  if (!adapter) return ok({ ok: false, detail: `no adapter for ${account.kind}`, code: 'NO_ADAPTER' })
  try {
    const outcome = await adapter.testConnection(
      { id: account.id, config: account.config },
      providerDeps(ctx, account.id, AbortSignal.timeout(20_000)),
    )
    return ok(outcome.ok ? { ok: true, detail: outcome.detail } : { ok: false, detail: outcome.message, code: outcome.code })
  } catch (error) {
    return ok({ ok: false, detail: (error as Error).message, code: 'UNREACHABLE' })
  }
}
