import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { route } from '../contract/route-contract.js'

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** The periods the overview covers: the last 7 or 30 days, today included. */
export const OVERVIEW_PERIODS = [7, 30] as const
export type OverviewPeriod = (typeof OVERVIEW_PERIODS)[number]

/** A calendar day in the workspace's time zone. */
export const CalendarDaySchema = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD in the workspace time zone' })

/** A figure of the period and the same figure of the period before it (for the change). */
export const OverviewFigure = Type.Object({ value: Type.Integer(), previous: Type.Integer() })
export type OverviewFigure = Static<typeof OverviewFigure>

/** One day of the period. Money is in minor units of the workspace currency. */
export const OverviewDay = Type.Object({
  day: CalendarDaySchema,
  /** Customers at the end of the day: profiles seen by then, less those merged into others or erased. */
  customers: Type.Integer(),
  /** Profiles first seen that day. */
  newCustomers: Type.Integer(),
  /** Customers who did something that day (a track, page or screen call). */
  activeCustomers: Type.Integer(),
  /** Calls received from sources that day, all sources together. */
  events: Type.Integer(),
  /** The same per source: source id (`''` for calls that came through none) → calls. */
  eventsBySource: Type.Record(Type.String(), Type.Integer()),
  orders: Type.Integer(),
  revenue: Type.Integer(),
})
export type OverviewDay = Static<typeof OverviewDay>

/** A source and its calls in the period (and the period before). A source deleted since has no name. */
export const OverviewSource = Type.Object({
  id: Type.String({ description: "the source's id; '' for calls that came through none" }),
  name: Nullable(Type.String()),
  events: OverviewFigure,
})
export type OverviewSource = Static<typeof OverviewSource>

/** What a new workspace has done of getting started. */
export const GettingStarted = Type.Object({
  hasSource: Type.Boolean(),
  /** The first day a source sent anything, and which source (null before any). */
  firstEvent: Nullable(Type.Object({ day: CalendarDaySchema, sourceId: Type.String(), sourceName: Nullable(Type.String()) })),
  /** The workspace holds customers or events (its own, imported or the demo's): the checklist is done. */
  hasData: Type.Boolean(),
})
export type GettingStarted = Static<typeof GettingStarted>

/** The workspace overview of the home page. Unique active customers over the period, not a sum of days. */
export const Overview = Type.Object({
  days: Type.Integer(),
  from: CalendarDaySchema,
  to: CalendarDaySchema,
  timeZone: Type.String(),
  currency: Type.String(),
  totals: Type.Object({
    customers: OverviewFigure,
    newCustomers: OverviewFigure,
    activeCustomers: OverviewFigure,
    events: OverviewFigure,
    orders: OverviewFigure,
    revenue: OverviewFigure,
  }),
  series: Type.Array(OverviewDay),
  sources: Type.Array(OverviewSource),
  gettingStarted: GettingStarted,
})
export type Overview = Static<typeof Overview>

export const overviewRoutes = {
  getOverview: route({
    method: 'GET',
    path: '/api/v1/analytics/overview',
    tag: 'analytics',
    summary: 'The workspace overview: customers, activity, events per source, orders and revenue over the last 7 or 30 days',
    access: { kind: 'workspace', permission: 'profiles.read' },
    query: Type.Object({
      days: Type.Optional(
        Type.Unsafe<OverviewPeriod>({ type: 'integer', enum: [...OVERVIEW_PERIODS], default: 7, description: 'the period: 7 or 30 days' }),
      ),
    }),
    response: Overview,
  }),
}
