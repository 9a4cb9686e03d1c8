import { useCallback } from 'react';
import { call } from '../../api/client.js';
import { useQuery } from '../../components/hooks.js';

/** User id → display name, for 提交人/审核人/申请人 columns (ids are what the records hold). */
export function useUserNames(): (id: string | null | undefined) => string {
  const users = useQuery(() => call('users:list'), []);
  const data = users.data;
  return useCallback((id) => {
    if (!id) return '—';
    return data?.find((u) => u.id === id)?.displayName ?? '—';
  }, [data]);
}
