import type { BroadcastSchedule } from '@reachloop/domain'
import type { Language, MessageKey, Translate } from '../../i18n/i18n.js'
import { formatTime } from '../../shared/format.js'

const weekday = (day: number) => `broadcasts.weekday.${day}` as MessageKey

/**
 * A broadcast's schedule in words, in the reader's language: "每天 10:00", "Every Monday 09:00",
 * with the customer's local time said when the broadcast sends by it.
 *
 * @example
 * scheduleInWords({ kind: 'weekly', time: '09:00', weekdays: [1] }, false, t, 'en-US') // 'Every Monday 09:00'
 */
export function scheduleInWords(schedule: BroadcastSchedule, localTime: boolean, t: Translate, language: Language): string {
  const local = localTime && schedule.kind !== 'now' ? t('broadcasts.schedule.localTime') : ''
  switch (schedule.kind) {
    case 'now':
      return t('broadcasts.schedule.now')
    case 'once':
      return t('broadcasts.schedule.once', { time: formatTime(schedule.at, language) }) + local
    case 'daily':
      return t('broadcasts.schedule.daily', { time: schedule.time }) + local
    case 'weekly': {
      // Monday first, as the week is read in both languages.
      const days = [...schedule.weekdays].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => t(weekday(d)))
      return t('broadcasts.schedule.weekly', { days: days.join(t('broadcasts.schedule.daysJoin')), time: schedule.time }) + local
    }
    case 'monthly':
      return t('broadcasts.schedule.monthly', { day: schedule.dayOfMonth, time: schedule.time }) + local
  }
}

/** The weekdays Monday first, as the form offers them. */
export const WEEKDAYS_MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0] as const
export { weekday as weekdayKey }
