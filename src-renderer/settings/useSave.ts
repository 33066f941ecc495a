import type { MasterData } from '../../src-main/api/types.js';
import type { Result } from '../../src-main/api/errors.js';
import { call } from '../api/call.js';
import { useAnnounce } from '../app/Announcer.js';
import { useMasterData } from '../app/MasterDataContext.js';
import { useI18n } from '../i18n/I18nProvider.js';

/** Runs a master-data save, adopts the returned master data and says "Đã lưu". Errors propagate to the form. */
export function useSave(): (pending: Promise<Result<MasterData>>) => Promise<void> {
  const { update } = useMasterData();
  const announce = useAnnounce();
  const { t } = useI18n();
  return async (pending) => {
    update(await call(pending));
    announce(t.saved);
  };
}
