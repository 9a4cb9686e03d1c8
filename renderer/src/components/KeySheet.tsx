/**
 * A key shown in groups of four (恢复密钥 of a ledger or of an archive; later an office's key
 * fingerprint), and its printable A4 sheet: while a KeySheet is mounted, printing shows only the
 * sheet (the `xz-keysheet-on` class on the body, styles.css), whatever starts the printing.
 */
import { useEffect, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';

/** While a sheet is mounted, printing shows only the sheet (styles.css). */
const PRINTING_CLASS = 'xz-keysheet-on';

/** The key as groups of 4 characters (the engine gives them dashed already; spaces tolerated). */
export function keyGroups(key: string): string[] {
  const plain = key.replace(/[\s-]/g, '').toUpperCase();
  return plain.match(/.{1,4}/g) ?? [];
}

/** `small`: the same groups at table size (a partner's fingerprint in a list). */
export function KeyGroups({ value, testId, size }: { value: string; testId?: string | undefined; size?: 'small' | undefined }) {
  return (
    <div className={size === 'small' ? 'xz-recovery-key xz-key-small' : 'xz-recovery-key'} data-testid={testId}>
      {keyGroups(value).map((g, i) => (
        <span key={i} className="xz-key-part">
          {i > 0 && <span className="xz-key-sep">-</span>}
          <span className="xz-key-group">{g}</span>
        </span>
      ))}
    </div>
  );
}

export interface KeySheetProps {
  value: string;
  title: string;
  /** The two lines under the title, left and right (office; date). */
  office: string;
  date: string;
  /** What the key belongs to, above the key (an archive's round, file and SHA-256). */
  about?: ReactNode;
  /** Numbered instructions under the key. */
  rules: string[];
  keeper: string;
  keptOn: string;
  testId?: string;
}

export function KeySheet({ value, title, office, date, about, rules, keeper, keptOn, testId }: KeySheetProps) {
  const { t } = useTranslation();
  useEffect(() => {
    document.body.classList.add(PRINTING_CLASS);
    return () => document.body.classList.remove(PRINTING_CLASS);
  }, []);
  return createPortal(
    <div className="xz-keysheet" data-testid={testId}>
      <style>{'@page { size: A4 portrait; margin: 22mm 20mm; }'}</style>
      <div className="xz-keysheet-marking">{t('marking')}</div>
      <h1>{title}</h1>
      <p className="xz-keysheet-meta"><span>{office}</span><span>{date}</span></p>
      {about}
      <KeyGroups value={value} />
      <ol className="xz-keysheet-rules">
        {rules.map((r, i) => <li key={i}>{r}</li>)}
      </ol>
      <p className="xz-keysheet-signs"><span>{keeper}</span><span>{keptOn}</span></p>
    </div>,
    document.body,
  );
}
