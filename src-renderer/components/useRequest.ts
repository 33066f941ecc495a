import { useState } from 'react';
import { errorMessage } from '../api/errorMessages.js';
import { useI18n } from '../i18n/I18nProvider.js';

/** One request at a time: `busy` while it runs, its failure handed to `failed` as a message. */
export function useRequest(failed: (message: string) => void): { busy: boolean; run: (work: () => Promise<void>) => Promise<void> } {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    try {
      await work();
    } catch (failure) {
      failed(errorMessage(failure, t));
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}
