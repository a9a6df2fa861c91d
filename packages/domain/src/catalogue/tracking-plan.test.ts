import { describe, expect, it } from 'vitest'
import { isTrackingPlan, observedType, planViolation, type TrackingPlan } from './tracking-plan.js'

describe('tracking plans', () => {
  const plan: TrackingPlan = {
    required: [
      { property: 'service', type: 'string' },
      { property: 'price', type: 'number' },
      { property: 'car.plate_city', type: 'string' },
      { property: 'booked_for', type: 'date' },
    ],
    mode: 'quarantine',
  }
  const good = { service: 'basic', price: 6800, car: { plate_city: '渝' }, booked_for: '2026-03-01' }

  it('passes an event carrying every required property in its type (a date-like string is also a string)', () => {
    expect(planViolation(plan, good)).toBeNull()
    expect(planViolation({ required: [{ property: 'booked_for', type: 'string' }], mode: 'accept' }, good)).toBeNull()
  })

  it('names the first missing or mistyped property, one level into objects too', () => {
    expect(planViolation(plan, { ...good, service: null })).toEqual({
      reason: 'the tracking plan requires properties.service',
      field: 'properties.service',
    })
    expect(planViolation(plan, { ...good, price: '68' })?.field).toBe('properties.price')
    expect(planViolation(plan, { ...good, car: 'x' })?.reason).toBe('the tracking plan requires properties.car.plate_city')
    expect(planViolation(plan, { ...good, booked_for: 'tomorrow' })?.reason).toBe(
      'the tracking plan wants properties.booked_for to be date, not string',
    )
  })

  it('tells the types apart as the catalogue shows them', () => {
    expect(['a', 1, true, '2026-03-01T08:00:00+08:00', {}, [], null, '2026-13-45'].map(observedType)).toEqual([
      'string',
      'number',
      'boolean',
      'date',
      'object',
      'array',
      null,
      'string',
    ])
  })

  it('reads back only stored plans of the current shape', () => {
    expect(isTrackingPlan(plan)).toBe(true)
    expect(isTrackingPlan({ required: [{ property: 'x', type: 'money' }], mode: 'accept' })).toBe(false)
    expect(isTrackingPlan({ required: [], mode: 'drop' })).toBe(false)
  })
})
