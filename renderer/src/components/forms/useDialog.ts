import { useCallback, useState } from 'react';

/**
 * Which of a screen's dialogs is open. The dialog stays described while it closes (its title does
 * not flicker during the closing animation): `shown` opens and closes it, `dialog` says which.
 */
export function useDialog<D>(): { dialog: D | null; shown: boolean; show(d: D): void; hide(): void } {
  const [dialog, setDialog] = useState<D | null>(null);
  const [shown, setShown] = useState(false);
  const show = useCallback((d: D) => {
    setDialog(d);
    setShown(true);
  }, []);
  const hide = useCallback(() => setShown(false), []);
  return { dialog, shown, show, hide };
}
