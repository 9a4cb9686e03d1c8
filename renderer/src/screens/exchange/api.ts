/** The 数据交换 screen's engine types, its error sentences and saving a file from the page. */
import type { FormInstance } from 'antd';
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
export type ExportDone = NonNullable<Awaited<ResultOf<'exchange:export'>>>;
export type PackagePreview = Awaited<ResultOf<'exchange:preview'>>;
export type PreviewItem = PackagePreview['preview']['items'][number];
export type Outcome = PreviewItem['outcome'];
export type ImportDone = Awaited<ResultOf<'exchange:import'>>;
export type Conflict = Awaited<ResultOf<'conflicts:list'>>[number];
export type Proposal = Awaited<ResultOf<'proposals:list'>>[number];
export type Delivery = Awaited<ResultOf<'exchange:history'>>[number];

/** The outcomes of an import, in the order the preview lists them. */
export const OUTCOMES: readonly Outcome[] = ['new', 'changed', 'conflict', 'proposal', 'deleted', 'restored', 'refused'];

/** Office kinds that may receive clues (db/exchange/ownership.ts CLUE_HOLDERS). */
export const CLUE_HOLDERS: readonly string[] = ['discipline', 'organisation', 'inspection_office'];

/**
 * Refusals whose engine sentence carries what the catalogue's cannot (the disk's errno, the limit
 * exceeded): shown as the engine words them.
 */
const ENGINE_WORDED = new Set(['package_io', 'package_limits', 'package_input']);

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
    const own = reason && !ENGINE_WORDED.has(reason) && i18n.exists(key);
    return { text: own ? t(`errors.${reason}`) : errorText(error, tc), reason, error };
  }, [t, tc, i18n]);
}

/**
 * Where a refused fingerprint step (adding or confirming a partner) shows its error: a mismatch as
 * the prominent warning and on the field, another fingerprint error on the field, anything else
 * above the form.
 */
export function useFingerprintRefusal(): (e: unknown, o: { form: FormInstance; setMismatch(text: string): void; setProblem(text: string): void }) => void {
  const explain = useExchangeError();
  const { t } = useTranslation('exchange');
  return useCallback((e, o) => {
    const x = explain(e);
    if (x.reason === 'fingerprint_mismatch') {
      o.setMismatch(x.text);
      o.form.setFields([{ name: 'fingerprint', errors: [t('confirm.mismatchTitle')] }]);
    } else if (x.error.field === 'fingerprint') {
      o.form.setFields([{ name: 'fingerprint', errors: [x.text] }]);
    } else {
      o.setProblem(x.text);
    }
  }, [explain, t]);
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
