import type { CSSProperties, ReactNode } from 'react';
import { PageTitle } from '../../components/PageTitle.js';

const HEAD: CSSProperties = { display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap', marginBottom: 12 };

/** A screen's title row: title, then filters, then the actions pushed to the right. */
export function PageHead({ title, children, actions }: { title: ReactNode; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div style={HEAD}>
      <PageTitle style={{ margin: 0 }}>{title}</PageTitle>
      {children}
      <span style={{ flex: 1 }} />
      {actions}
    </div>
  );
}

/** Vertical rhythm between the cards of a screen. */
export const CARD_GAP: CSSProperties = { marginBottom: 12 };
