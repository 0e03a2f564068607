import { SUN_EVENTS, type SunEvent } from '#schedules/index.ts';
import { t } from '../../i18n/index.ts';
import { FieldMessages, fieldProps } from './form-parts.tsx';
import type { TimeDraft } from './profile-form.ts';

/** What a time switched from a sun event to a clock time starts at. */
const DEFAULT_CLOCK = '22:00';

/**
 * A switch time: a sun event with an offset in minutes, or a local clock time "HH:MM". `pointer`
 * is where the API points this time (`/on`, `/steps/2/at`), so its errors show here.
 */
export function TimeInput({
  legend,
  pointer,
  value,
  errors,
  onChange,
}: {
  legend: string;
  pointer: string;
  value: TimeDraft;
  errors: ReadonlyMap<string, string[]>;
  onChange: (next: TimeDraft) => void;
}) {
  return (
    <fieldset class="time-input">
      <legend>{legend}</legend>
      <label>
        <span class="visually-hidden">{t('sched.time.kind')}</span>
        <select
          value={value.kind}
          onChange={(event) => {
            const kind = (event.currentTarget as HTMLSelectElement).value as TimeDraft['kind'];
            onChange({ ...value, kind, clock: value.clock === '' ? DEFAULT_CLOCK : value.clock });
          }}
        >
          <option value="sun">{t('sched.time.sun')}</option>
          <option value="clock">{t('sched.time.clock')}</option>
        </select>
      </label>
      {value.kind === 'sun' ? (
        <>
          <label>
            <span class="visually-hidden">{t('sched.time.event')}</span>
            <select
              value={value.event}
              onChange={(event) =>
                onChange({ ...value, event: (event.currentTarget as HTMLSelectElement).value as SunEvent })
              }
              {...fieldProps(`${pointer}/event`, errors)}
            >
              {SUN_EVENTS.map((event) => (
                <option key={event} value={event}>
                  {t(`sched.sun.${event}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('sched.time.offset')}</span>
            <input
              type="text"
              inputMode="numeric"
              size={5}
              value={value.offset}
              onInput={(event) =>
                onChange({ ...value, offset: (event.currentTarget as HTMLInputElement).value })
              }
              {...fieldProps(`${pointer}/offsetMinutes`, errors)}
            />
          </label>
          <FieldMessages pointer={`${pointer}/event`} errors={errors} />
          <FieldMessages pointer={`${pointer}/offsetMinutes`} errors={errors} />
        </>
      ) : (
        <label>
          <span class="visually-hidden">{t('sched.time.clock')}</span>
          <input
            type="text"
            inputMode="numeric"
            placeholder="HH:MM"
            size={6}
            value={value.clock}
            onInput={(event) =>
              onChange({ ...value, clock: (event.currentTarget as HTMLInputElement).value })
            }
            {...fieldProps(pointer, errors)}
          />
        </label>
      )}
      <FieldMessages pointer={pointer} errors={errors} />
    </fieldset>
  );
}
