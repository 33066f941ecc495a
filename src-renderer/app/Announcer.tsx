import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

type Tone = 'info' | 'error';

interface AnnouncerState {
  /** Says something to screen readers and shows it in the status bar. */
  announce: (message: string, tone?: Tone) => void;
}

const AnnouncerContext = createContext<AnnouncerState>({ announce: () => undefined });

/** One polite aria-live region for results and confirmations, one assertive for errors. */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<{ text: string; tone: Tone } | null>(null);
  const announce = useCallback((text: string, tone: Tone = 'info') => setMessage({ text, tone }), []);
  const value = useMemo(() => ({ announce }), [announce]);
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(null), message.tone === 'info' ? 8000 : 15000);
    return () => clearTimeout(timer);
  }, [message]);
  return (
    <AnnouncerContext value={value}>
      {children}
      <div className="status-bar" role="status" aria-live="polite">
        {message?.tone === 'info' ? message.text : ''}
      </div>
      <div className="status-bar status-bar--error" role="alert" aria-live="assertive">
        {message?.tone === 'error' ? message.text : ''}
      </div>
    </AnnouncerContext>
  );
}

export function useAnnounce(): AnnouncerState['announce'] {
  return useContext(AnnouncerContext).announce;
}
