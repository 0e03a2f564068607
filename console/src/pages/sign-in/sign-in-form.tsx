import { useEffect, useState } from 'preact/hooks';
import { ROLES, type Role } from '#protocol/principal.ts';
import { useApp } from '../../app-context.ts';
import { LocalAuth } from '../../auth/local.ts';
import { t } from '../../i18n/index.ts';

/**
 * The local sign-in form (npm start): a role and, for a technician, an optional zone limit; the
 * local runtime signs the token. `onSignedIn` runs once the token is there.
 */
export function SignInForm({ onSignedIn }: { onSignedIn?: () => void }) {
  const { auth } = useApp();
  const [role, setRole] = useState<Role>('technician');
  const [zones, setZones] = useState<string[]>([]);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const local = auth instanceof LocalAuth ? auth : undefined;

  useEffect(() => {
    local
      ?.zones()
      .then(setZones)
      .catch((failure: unknown) => setError((failure as Error).message));
  }, [local]);

  if (local === undefined) return <p>{t('signIn.redirect')}</p>;

  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    local
      .submit({ role, zones: role === 'technician' ? [...chosen].sort() : [] })
      .then(() => onSignedIn?.())
      .catch((failure: unknown) => setError(t('signIn.failed', { message: (failure as Error).message })))
      .finally(() => setBusy(false));
  };

  const toggle = (zone: string) => {
    const next = new Set(chosen);
    if (next.has(zone)) next.delete(zone);
    else next.add(zone);
    setChosen(next);
  };

  return (
    <form class="sign-in" onSubmit={submit}>
      <fieldset>
        <legend>{t('signIn.role')}</legend>
        {ROLES.map((each) => (
          <label key={each} class="choice">
            <input
              type="radio"
              name="role"
              value={each}
              checked={role === each}
              onChange={() => setRole(each)}
            />
            {t(`role.${each}`)}
          </label>
        ))}
      </fieldset>
      {role === 'technician' && zones.length > 0 && (
        <fieldset>
          <legend>{t('signIn.zones')}</legend>
          <div class="zone-choices">
            {zones.map((zone) => (
              <label key={zone} class="choice">
                <input
                  type="checkbox"
                  name="zones"
                  value={zone}
                  checked={chosen.has(zone)}
                  onChange={() => toggle(zone)}
                />
                {zone}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('signIn.submit')}
      </button>
    </form>
  );
}
