/**
 * 另存为PDF of the printed form the screen has laid out: the desktop shell renders the page as
 * Chromium prints it and saves it where the user says (files:savePdf); where the shell cannot
 * (the browser preview), the print dialog opens instead, whose destinations include 另存为PDF.
 * The caller has the printed form mounted (body.xz-printing) while this runs.
 */
import { App } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../api/client.js';
import { toApiError } from '../hooks.js';
import { errorText } from '../States.js';

export function useSavePdf(): (name: string) => Promise<void> {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return useCallback(async (name: string) => {
    try {
      const r = await call('files:savePdf', { name });
      if (r) void message.success(t('savePdf.saved', { path: r.path }));
      else void message.info(t('savePdf.cancelled'));
    } catch (e) {
      const err = toApiError(e);
      if (err instanceof ApiError && err.payload.reason === 'no_print_to_pdf') {
        window.print();
        void message.info(t('savePdf.useDialog'));
        return;
      }
      void message.error(errorText(err, t));
    }
  }, [message, t]);
}
