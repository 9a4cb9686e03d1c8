import type { KeyboardEvent } from 'react';

/**
 * Props for a link-looking element that does something on the page rather than going somewhere
 * (预览, 附加材料, 删除…): antd's Typography.Link without an href is an <a> the keyboard cannot
 * reach. With these it is a Tab stop announced as a button, run by Enter or Space like a click.
 */
export function actionProps(run: () => void) {
  return {
    role: 'button',
    tabIndex: 0,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      run();
    },
  } as const;
}
