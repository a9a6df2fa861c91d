import type { ComputedDefinition, RfmBands, SegmentNode } from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'
import type { LogMark } from '../../platform/event-log/log-mark.js'

/** Something profiles are in or out of: a segment or a tag. */
export type AudienceKindName = 'segment' | 'tag'

/** A segment or a tag: its id, workspace and name. */
export interface Audience {
  kind: AudienceKindName
  id: string
  workspaceId: string
  name: string
}

/** A kind's full-computation job: its queue's name and the payload field holding the id. */
export interface ComputeJob {
  queue: string
  idField: string
}

/** A segment or rule tag as evaluation needs it. */
export type EvaluableAudience = Audience & { definition: SegmentNode }

/** A definition of the workspace (a segment or a tag, rule or not), for reference checks. */
export interface AudienceDefinition {
  kind: AudienceKindName
  id: string
  name: string
  definition: SegmentNode | null
}

/**
 * What the engine needs from the module that owns a kind of audience (segments, tags): the engine
 * owns who is in what (members, history), the owner its definitions, sizes and computation marks.
 */
export interface AudienceKind {
  kind: AudienceKindName
  /** Takes the audience's computation lock (`lockComputation`): one evaluation of it at a time. */
  lock(db: Executor, id: string): Promise<void>
  /** The job queue that computes one in full, and the payload field that names it (the console shows its progress). */
  computeJob: ComputeJob
  /** Adds `delta` (entries minus exits) to the audiences' stored sizes. */
  resize(db: Executor, deltas: ReadonlyMap<string, number>): Promise<void>
  /** After a full evaluation: the size counted, when, and the log mark it read as of. */
  computedInFull(db: Executor, audience: EvaluableAudience, outcome: { size: number; now: Date; mark: LogMark }): Promise<void>
  /** Audiences evaluated from a definition (dynamic segments, rule tags) computed once, ordered by id. */
  live(db: Executor, filter: { workspaceId?: string; id?: string }): Promise<EvaluableAudience[]>
  /** Audiences whose full computation left a mark to catch up from, and that mark. */
  pending(db: Executor): Promise<Array<{ audience: Audience & { definition: SegmentNode | null }; mark: LogMark }>>
  /** Clears the mark left by a full computation, unless a newer one replaced it. */
  clearMark(db: Executor, id: string, mark: LogMark): Promise<void>
  /** Of these audiences, those held by hand (static segments, manual tags), ordered by id. */
  heldByHand(db: Executor, ids: readonly string[]): Promise<Array<{ id: string; name: string }>>
  /** Whether the log consumer has work for this kind: a live audience, or one held by hand with members. */
  inUse(db: Executor): Promise<boolean>
  /** Every definition of the workspace (or of all workspaces), for reference checks. */
  definitions(db: Executor, workspaceId?: string): Promise<AudienceDefinition[]>
  /** Of these ids, those of the workspace. */
  existing(db: Executor, workspaceId: string, ids: readonly string[]): Promise<string[]>
  /** Names (and group names) of the audiences, by id. */
  names(db: Executor, workspaceId: string, ids: readonly string[]): Promise<Map<string, { name: string; group: string | null }>>
  /** Of these, the manual audiences in exclusive groups, by id, with their name and group: a customer holds one of each group. */
  exclusiveGroups?(db: Executor, ids: readonly string[]): Promise<Map<string, { name: string; groupId: string }>>
}

/** A computed property as upkeep needs it. */
export interface EvaluableProperty {
  id: string
  workspaceId: string
  definition: ComputedDefinition
  /** RFM: the bands of the last full computation (incremental upkeep scores against them). */
  bands: RfmBands | null
}

/** What a computation of values changed, and the mark it read as of. */
export interface ValuesOutcome {
  /** How many profiles' values changed (appeared, changed or went). */
  changed: number
  /** Which, for an incremental computation (a full one can change a million). */
  changedIds: string[]
  mark: LogMark | null
}

/** A workspace's computed properties as the consumer reads them. */
export interface WorkspaceProperties {
  /** Those computed once (the rest wait for their full computation). */
  live: EvaluableProperty[]
  /** Each property's event, which tells which audiences a change of it can move. */
  propertyEvents: ReadonlyMap<string, string>
  /** Each property's empty value (held by profiles with no stored value). */
  emptyValues: ReadonlyMap<string, unknown>
}

/** What the engine needs from the computed-properties module: values upkeep and what it reads. */
export interface PropertyKind {
  /** The job queue that computes a property in full, and the payload field that names it. */
  computeJob: ComputeJob
  workspace(db: Executor, workspaceId: string): Promise<WorkspaceProperties>
  /** Computes values for some profiles (the incremental path) or all (a full computation). */
  computeValues(
    db: Executor,
    property: EvaluableProperty,
    options: { now: Date; profileIds?: readonly string[]; timeZone?: string },
  ): Promise<ValuesOutcome>
  /** Properties whose full computation left a mark to catch up from. */
  pending(db: Executor): Promise<Array<{ property: EvaluableProperty; mark: LogMark }>>
  clearMark(db: Executor, id: string, mark: LogMark): Promise<void>
  /** Computed once, and whose values change with time alone. */
  changingWithTime(db: Executor): Promise<EvaluableProperty[]>
  inUse(db: Executor): Promise<boolean>
  existing(db: Executor, workspaceId: string, ids: readonly string[]): Promise<string[]>
}

const audienceKinds = new Map<AudienceKindName, AudienceKind>()
let propertyKindRegistered: PropertyKind | undefined

/**
 * The kinds the engine works for, registered by the modules that own them (their `module.ts`,
 * loaded with the list of modules). Segments and tags refer to each other's definitions, so neither
 * module imports the other: both reach the other through the engine.
 */
export function registerAudienceKind(kind: AudienceKind): void {
  audienceKinds.set(kind.kind, kind)
}

export function registerPropertyKind(kind: PropertyKind): void {
  propertyKindRegistered = kind
}

/** The module that owns a kind of audience. */
export function audienceKind(kind: AudienceKindName): AudienceKind {
  const found = audienceKinds.get(kind)
  if (!found) throw new Error(`no audience kind '${kind}' is registered: load its module (runtime/modules.ts)`)
  return found
}

/** Every kind of audience, segments first. */
export function allAudienceKinds(): AudienceKind[] {
  return (['segment', 'tag'] as const).map(audienceKind)
}

/** The computed-properties module's side of the engine. */
export function propertyKind(): PropertyKind {
  if (!propertyKindRegistered) throw new Error('no computed-property kind is registered: load its module (runtime/modules.ts)')
  return propertyKindRegistered
}
