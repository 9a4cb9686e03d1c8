/** The 数据交换 screen's engine types, its error sentences and saving a file from the page. */
import dayjs from 'dayjs';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import type { ApiError } from '../../api/client.js';
import { toApiError } from '../../components/hooks.js';
import { errorText } from '../../components/States.js';

export type Identity = Awaited<ResultOf<'exchange:identity'>>;
export type Partner = Awaited<ResultOf<'partners:list'>>[number];
export type PartnerKey = Partner['keys'][number];
export type Preview = Awaited<ResultOf<'partners:previewCard'>>;

/** The engine's limit on a card (db/exchange/identity.ts CARD_MAX_BYTES): a larger file is not read. */
export const CARD_MAX_BYTES = 16 * 1024;

/** An exchange refusal as one sentence: the catalogue's for its reason, else the engine's own. */
export function useExchangeError(): (e: unknown) => { text: string; reason: string | undefined; error: ApiError } {
  const { t, i18n } = useTranslation('exchange');
  const { t: tc } = useTranslation();
  return useCallback((e: unknown) => {
    const error = toApiError(e);
    const reason = error.payload.reason;
    const key = `exchange:errors.${reason ?? ''}`;
    return { text: reason && i18n.exists(key) ? t(`errors.${reason}`) : errorText(error, tc), reason, error };
  }, [t, tc, i18n]);
}

/** A moment to the minute, as the tables show it; '—' when there is none. */
export function minute(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—';
}

/**
 * Offer text as a file: the browser's download (the desktop shell asks where to save it). The name
 * is the engine's (no path, no separators).
 */
export function saveText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The key of a partner still waiting for 确认指纹 (a new partner, or a new key not yet trusted). */
export function waitingKey(p: Partner): PartnerKey | undefined {
  return p.keys.find((k) => k.status === 'active' && k.confirmedAt === null);
}
