import { Typography } from 'antd';
import type { ComponentProps } from 'react';

type TitleProps = Omit<ComponentProps<typeof Typography.Title>, 'level'>;

/**
 * A screen's title: the screen's one level-one heading (WCAG 2.1: headings mark the page's
 * structure, and a screen reader jumps to the h1), drawn at the size of antd's level-4 title as
 * the screens always were (`look={3}` for the larger first-run welcome). `level={2}` when the
 * same view is shown inside another screen.
 */
export function PageTitle({ level = 1, look = 4, className, ...rest }: TitleProps & { level?: 1 | 2; look?: 3 | 4 }) {
  return <Typography.Title level={level} className={[`xz-title xz-title-${look}`, className].filter(Boolean).join(' ')} {...rest} />;
}
