import { useEffect, useRef } from 'react';
import { DocumentDetail } from '../detail/DocumentDetail.js';
import { DocumentEditPage } from '../detail/DocumentEditPage.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { IncomingListPage } from '../incoming/IncomingListPage.js';
import { IncomingRegisterForm } from '../incoming/IncomingRegisterForm.js';
import { OutgoingDraftForm } from '../outgoing/OutgoingDraftForm.js';
import { OutgoingListPage } from '../outgoing/OutgoingListPage.js';
import { RegistersPage } from '../registers/RegistersPage.js';
import { hashes, type Route } from '../routing/routes.js';
import { useRoute } from '../routing/useRoute.js';
import { HeaderSearch } from '../search/HeaderSearch.js';
import { SearchPage } from '../search/SearchPage.js';
import { SettingsPage } from '../settings/SettingsPage.js';
import { SyncIndicator } from '../sync/SyncIndicator.js';
import { useMasterData } from './MasterDataContext.js';

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'incoming':
      return <IncomingListPage />;
    case 'incomingNew':
      return <IncomingRegisterForm />;
    case 'outgoing':
      return <OutgoingListPage />;
    case 'outgoingNew':
      return <OutgoingDraftForm />;
    case 'document':
      return <DocumentDetail key={route.id} id={route.id} />;
    case 'documentEdit':
      return <DocumentEditPage key={route.id} id={route.id} />;
    case 'search':
      return <SearchPage query={route.query} />;
    case 'registers':
      return <RegistersPage />;
    case 'settings':
      return <SettingsPage />;
  }
}

/** Which sidebar entry a route belongs to. */
function section(route: Route): string | null {
  if (route.name === 'incoming' || route.name === 'incomingNew') return 'incoming';
  if (route.name === 'outgoing' || route.name === 'outgoingNew') return 'outgoing';
  if (route.name === 'search' || route.name === 'registers' || route.name === 'settings') return route.name;
  return null;
}

/** Header with the search box, sidebar navigation, and the current screen. */
export function Shell() {
  const { t } = useI18n();
  const { data } = useMasterData();
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const screenKey = route.name === 'document' || route.name === 'documentEdit' ? `${route.name}/${route.id}` : route.name;

  // After navigating, move focus to the new screen (not while typing in the search box).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (document.activeElement instanceof HTMLInputElement && document.activeElement.type === 'search') return;
    main.current?.focus();
  }, [screenKey]);

  const links: [string, string, string][] = [
    ['incoming', hashes.incoming, t.navIncoming],
    ['outgoing', hashes.outgoing, t.navOutgoing],
    ['registers', hashes.registers, t.navRegisters],
    ['search', '#/search', t.navSearch],
    ['settings', hashes.settings, t.navSettings],
  ];
  const active = section(route);
  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault(); // "#main" is not a route
          main.current?.focus();
        }}
      >
        {t.skipToContent}
      </a>
      <header className="shell__header">
        <div className="brand">
          <span className="brand__name">{t.appName}</span>
          {data.agency && <span className="brand__agency">{data.agency.name}</span>}
        </div>
        <HeaderSearch route={route} />
        <SyncIndicator />
        {data.user && <span className="shell__user">{data.user.fullName}</span>}
      </header>
      <nav className="shell__nav" aria-label={t.navLabel}>
        <ul>
          {links.map(([key, href, label]) => (
            <li key={key}>
              <a href={href} aria-current={active === key ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} className="shell__main" tabIndex={-1}>
        <Screen key={screenKey} route={route} />
      </main>
    </div>
  );
}
