import { createContext, useContext, type ReactNode } from 'react';
import type { MasterData } from '../../src-main/api/types.js';

interface MasterDataState {
  data: MasterData;
  /** Replaces the master data with what a save returned. */
  update: (next: MasterData) => void;
}

const MasterDataContext = createContext<MasterDataState | null>(null);

export function MasterDataProvider({ value, children }: { value: MasterDataState; children: ReactNode }) {
  return <MasterDataContext value={value}>{children}</MasterDataContext>;
}

export function useMasterData(): MasterDataState {
  const value = useContext(MasterDataContext);
  if (!value) throw new Error('useMasterData outside MasterDataProvider');
  return value;
}
