import { useState } from 'preact/hooks';
import type { Profile, TimeSpec } from '#schedules/index.ts';
import { useApp } from '../../app-context.ts';
import { hrefOf } from '../../href.ts';
import { t } from '../../i18n/index.ts';
import { errorsByField } from './field-errors.ts';
import { Field, fieldProps, WhenLoaded } from './form-parts.tsx';
import { checkName, NAME_FIELD } from './profile-form.ts';
import { useLoad } from './use-load.ts';
import { issueWording } from './wording.ts';
import '../../styles/schedules.css';

/** A switch time in words: `22:30`, `coucher du soleil + 10 min`. */
export function timeSpecText(spec: TimeSpec): string {
  if (typeof spec === 'string') return spec;
  const event = t(`sched.sun.${spec.event}`);
  if (spec.offsetMinutes === 0) return event;
  return t('sched.profiles.offset', {
    event,
    sign: spec.offsetMinutes > 0 ? '+' : '−',
    minutes: Math.abs(spec.offsetMinutes),
  });
}

/** The profiles by name, each with its switch times and steps, and a way to start a new one. */
export default function ProfilesPage() {
  const { api } = useApp();
  const [profiles] = useLoad(() => api.get<Record<string, Profile>>('/profiles'), []);
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<ReadonlyMap<string, string[]>>(new Map());
  return (
    <article>
      <h1>{t('sched.profiles.title')}</h1>
      <WhenLoaded loaded={profiles}>
        {(all) => (
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{t('sched.profiles.name')}</th>
                <th scope="col">{t('sched.profiles.on')}</th>
                <th scope="col">{t('sched.profiles.off')}</th>
                <th scope="col">{t('sched.profiles.steps')}</th>
                <th scope="col">{t('sched.profiles.description')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(all)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([profileName, profile]) => (
                  <tr key={profileName}>
                    <th scope="row">
                      <a href={hrefOf('/profiles/:name', { name: profileName })}>{profileName}</a>
                    </th>
                    <td>{timeSpecText(profile.on)}</td>
                    <td>{timeSpecText(profile.off)}</td>
                    <td>
                      {[
                        `${profile.onLevel} %`,
                        ...profile.steps.map((step) => `${timeSpecText(step.at)} → ${step.level} %`),
                      ].join(' · ')}
                    </td>
                    <td>{profile.description ?? ''}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </WhenLoaded>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const problems = checkName(name, issueWording);
          setErrors(errorsByField(problems, [NAME_FIELD]));
          if (problems.length === 0) location.hash = hrefOf('/profiles/:name', { name });
        }}
      >
        <Field label={t('sched.profiles.newName')} pointer={NAME_FIELD} errors={errors}>
          <input
            value={name}
            onInput={(event) => setName((event.currentTarget as HTMLInputElement).value)}
            {...fieldProps(NAME_FIELD, errors)}
          />
        </Field>
        <button type="submit">{t('sched.profiles.create')}</button>
      </form>
    </article>
  );
}
