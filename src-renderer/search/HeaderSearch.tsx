import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.js';
import { searchHash, type Route, type SearchQuery } from '../routing/routes.js';
import { navigate } from '../routing/useRoute.js';

const debounceMs = 150;

/** The global search box: search-as-you-type, opening the results page. */
export function HeaderSearch({ route }: { route: Route }) {
  const { t } = useI18n();
  const current: SearchQuery | null = route.name === 'search' ? route.query : null;
  const routeText = current?.q ?? '';
  const [text, setText] = useState(routeText);
  const pushed = useRef(routeText);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Follow the URL when it changes by other means (back button, a link).
  useEffect(() => {
    if (routeText !== pushed.current) {
      pushed.current = routeText;
      setText(routeText);
    }
  }, [routeText]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const go = (value: string) => {
    pushed.current = value;
    const base: SearchQuery = current ?? { q: '', sort: 'relevance', page: 1 };
    navigate(searchHash({ ...base, q: value, page: 1 }), { replace: current !== null });
  };

  return (
    <form
      className="header-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        clearTimeout(timer.current);
        go(text);
      }}
    >
      <input
        type="search"
        aria-label={t.searchBoxLabel}
        placeholder={t.searchPlaceholder}
        value={text}
        maxLength={500}
        onChange={(e) => {
          const value = e.target.value;
          setText(value);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => go(value), debounceMs);
        }}
      />
    </form>
  );
}
