/** 列设置: hide and show columns; the choice is kept on this workstation per list. */
import { SettingOutlined } from '@ant-design/icons';
import { Button, Checkbox, Dropdown } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

const STORE = 'xz.columns.';

/** `dflt`: hidden until the user chooses otherwise (e.g. where the list shares the screen with a side panel). */
export function useHiddenColumns(list: string, dflt: string[] = []): [string[], (keys: string[]) => void] {
  const [hidden, setHidden] = useState<string[]>(() => {
    try {
      const raw = localStorage.getItem(STORE + list);
      if (raw === null) return dflt;
      const v: unknown = JSON.parse(raw);
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : dflt;
    } catch {
      return dflt;
    }
  });
  return [hidden, (keys) => {
    localStorage.setItem(STORE + list, JSON.stringify(keys));
    setHidden(keys);
  }];
}

export function ColumnChooser({ columns, hidden, onChange, locked }: {
  columns: { key: string; title: ReactNode }[];
  hidden: string[];
  onChange(keys: string[]): void;
  /** Columns that cannot be hidden (the row's identity and main text). */
  locked: string[];
}) {
  const { t } = useTranslation('problems');
  return (
    <Dropdown
      trigger={['click']}
      popupRender={() => (
        <div className="ant-dropdown-menu" style={{ padding: 8, display: 'flex', flexDirection: 'column', gap: 4 }}>
          {columns.map((c) => (
            <Checkbox
              key={c.key} checked={!hidden.includes(c.key)} disabled={locked.includes(c.key)}
              onChange={(e) => onChange(e.target.checked ? hidden.filter((k) => k !== c.key) : [...hidden, c.key])}
            >
              {c.title}
            </Checkbox>
          ))}
        </div>
      )}
    >
      <Button icon={<SettingOutlined />} aria-label={t('columns')}>{t('columns')}</Button>
    </Dropdown>
  );
}
