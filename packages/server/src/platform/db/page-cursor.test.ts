import { describe, expect, it } from 'vitest'
import { instantCursor, serialCursor } from './page-cursor.js'

const ID = '0d1cb4f8-a600-46cf-b160-fbd405e12d96'

describe('page cursors', () => {
  it('reads the cursors the lists write', () => {
    expect(serialCursor('1234')).toBe(1234)
    expect(instantCursor(`2024-05-01T00:00:00.000Z|${ID}`, 'uuid')).toEqual({ at: new Date('2024-05-01T00:00:00.000Z'), id: ID })
    expect(instantCursor('2024-05-01T00:00:00.000Z|42', 'serial')).toEqual({ at: new Date('2024-05-01T00:00:00.000Z'), id: '42' })
  })

  it('reads nothing from a cursor the database could not compare with', () => {
    for (const cursor of [undefined, '', '-1', '1.5', '9999999999999999', '99999999999999999999'])
      expect(serialCursor(cursor), String(cursor)).toBeUndefined()
    for (const cursor of [
      '',
      '3|x',
      `3|${ID}`,
      '2024-05-01T00:00:00.000Z|not-a-uuid',
      `0000-01-01T00:00:00.000Z|${ID}`,
      `+275000-01-01T00:00:00.000Z|${ID}`,
      `2024-05-01T00:00:00.000Z|${ID}|more`,
    ]) {
      expect(instantCursor(cursor, 'uuid'), cursor).toBeUndefined()
    }
    expect(instantCursor('2024-05-01T00:00:00.000Z|99999999999999999999', 'serial')).toBeUndefined()
  })
})
