import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import type { CSSProperties } from 'react';
import { DAY } from './dates.js';

dayjs.extend(customParseFormat);

/** Shown as the first format; the others are accepted when typed (clerks type dates many ways). */
const DATE_FORMATS = [DAY, 'YYYY/MM/DD', 'YYYYMMDD', 'YYYY.MM.DD'];

/** A DatePicker whose value in the form is the engine's day ('YYYY-MM-DD') or null. */
export function DateInput(p: {
  id?: string;
  value?: string | null;
  onChange?(v: string | null): void;
  disabled?: boolean;
  placeholder?: string;
  'aria-label'?: string;
  style?: CSSProperties;
}) {
  const d = p.value ? dayjs(p.value, DAY, true) : null;
  return (
    <DatePicker
      id={p.id} aria-label={p['aria-label']} disabled={p.disabled} placeholder={p.placeholder}
      value={d && d.isValid() ? d : null} format={DATE_FORMATS} style={p.style ?? { width: '100%' }}
      onChange={(x) => p.onChange?.(x ? x.format(DAY) : null)}
    />
  );
}
