import { useEffect } from 'preact/hooks';
import { useApp } from '../../app-context.ts';
import { principalOf } from '../../auth/session.ts';
import { t } from '../../i18n/index.ts';
import { homeFor } from '../../routes.ts';
import { SignInForm } from './sign-in-form.tsx';

/** `#/sign-in`: the local form under npm start; with Cognito, the way to its managed login. */
export default function SignInPage() {
  const { auth, config } = useApp();
  useEffect(() => {
    if (config.auth.kind !== 'local') auth.signIn();
  }, [auth, config]);

  const signedIn = () => {
    auth.token().then((token) => {
      location.hash = homeFor(token === undefined ? undefined : principalOf(token));
    });
  };

  return (
    <section class="sign-in-page">
      <h1>{t('signIn.title')}</h1>
      {config.auth.kind === 'local' && <p>{t('signIn.local')}</p>}
      <SignInForm onSignedIn={signedIn} />
    </section>
  );
}
