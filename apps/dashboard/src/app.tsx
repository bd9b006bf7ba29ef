import { useEffect, useRef, useState } from 'preact/hooks';
import { date, ROLE_NAMES, todayInOslo } from './format';
import { finishOidcSignIn, startOidcSignIn } from './oidc';
import { screensFor } from './screens';
import { Arbeidslister } from './screens/arbeidslister';
import { Gsi } from './screens/gsi';
import { Likeverd } from './screens/likeverd';
import { Oversikt } from './screens/oversikt';
import { Revisjon } from './screens/revisjon';
import { Venteliste } from './screens/venteliste';
import {
  currentSession,
  loadSettings,
  signInLocally,
  signOut,
  type Role,
  type Session,
  type Settings,
} from './session';

const routeOf = () => location.hash.replace(/^#\/?/, '') || 'oversikt';

export const App = () => {
  const [session, setSession] = useState<Session | null>(currentSession());
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [route, setRoute] = useState(routeOf());
  const today = todayInOslo();
  const [day, setDay] = useState(today);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const onHash = () => setRoute(routeOf());
    addEventListener('hashchange', onHash);
    loadSettings()
      .then(async (loaded) => {
        setSettings(loaded);
        if (loaded.oidc && (await finishOidcSignIn(loaded.oidc))) setSession(currentSession());
      })
      .catch((failure: Error) => setError(failure.message));
    return () => removeEventListener('hashchange', onHash);
  }, []);

  // A new screen: its heading takes the focus, so a screen reader and the keyboard start there.
  useEffect(() => heading.current?.focus(), [route, session]);

  if (!session) return <SignIn settings={settings} error={error} onSignedIn={setSession} />;

  const screens = screensFor(session.role);
  const screen = screens.find((candidate) => candidate.path === route) ?? screens[0];
  const dated = screen?.path === 'oversikt' || screen?.path === 'likeverd';
  document.title = `${screen?.title ?? ''} – Kulturskolen`;
  return (
    <>
      <a class="skip" href="#innhold" onClick={(event) => (event.preventDefault(), heading.current?.focus())}>
        Hopp til innholdet
      </a>
      <header class="top">
        <p class="brand">Kulturskolen · {session.tenant}</p>
        <p class="who">
          Logget inn som <strong data-role={session.role}>{ROLE_NAMES[session.role]}</strong>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              signOut();
              setSession(null);
            }}
          >
            Logg ut
          </button>
        </p>
        <nav aria-label="Skjermbilder">
          <ul>
            {screens.map((item) => (
              <li>
                <a href={`#/${item.path}`} aria-current={item.path === screen?.path ? 'page' : undefined}>
                  {item.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="innhold">
        <h1 tabIndex={-1} ref={heading}>
          {screen?.title}
        </h1>
        {dated ? (
          <form class="filters" onSubmit={(event) => event.preventDefault()}>
            <label>
              Tall per dato
              <input
                type="date"
                value={day}
                max={today}
                onChange={(event) => event.currentTarget.value && setDay(event.currentTarget.value)}
              />
            </label>
            <span class="note">{date(day)}</span>
          </form>
        ) : null}
        {screen?.path === 'oversikt' ? <Oversikt role={session.role} day={day} /> : null}
        {screen?.path === 'venteliste' ? <Venteliste /> : null}
        {screen?.path === 'arbeidslister' ? <Arbeidslister /> : null}
        {screen?.path === 'likeverd' ? <Likeverd role={session.role} day={day} /> : null}
        {screen?.path === 'gsi' ? <Gsi today={today} /> : null}
        {screen?.path === 'revisjon' ? <Revisjon /> : null}
      </main>
    </>
  );
};

const SignIn = ({
  settings,
  error,
  onSignedIn,
}: {
  settings: Settings | null;
  error: string | null;
  onSignedIn: (session: Session) => void;
}) => {
  const [failure, setFailure] = useState<string | null>(null);
  const local = async (role: Role) => {
    try {
      onSignedIn(await signInLocally(role));
    } catch (caught) {
      setFailure((caught as Error).message);
    }
  };
  return (
    <main id="innhold" class="sign-in">
      <h1>Logg inn i Kulturskolen</h1>
      {error || failure ? <p role="alert">{error ?? failure}</p> : null}
      {!settings ? <p>Henter innlogging …</p> : null}
      {settings?.oidc ? (
        <p>
          <button type="button" onClick={() => settings.oidc && void startOidcSignIn(settings.oidc)}>
            Logg inn med kommunens pålogging
          </button>
        </p>
      ) : null}
      {settings?.localSignIn ? (
        <section aria-labelledby="local-h">
          <h2 id="local-h">Lokal innlogging (utvikling, {settings.tenant})</h2>
          <p>Kun i lokal kjøring (npm start): velg en rolle.</p>
          <ul class="roles">
            {settings.localSignIn.roles.map((role) => (
              <li>
                <button type="button" data-sign-in={role} onClick={() => void local(role)}>
                  {ROLE_NAMES[role]}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {settings && !settings.oidc && !settings.localSignIn ? (
        <p>Ingen innlogging er satt opp for denne installasjonen.</p>
      ) : null}
    </main>
  );
};
