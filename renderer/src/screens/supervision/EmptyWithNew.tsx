import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { EmptyState } from '../../components/States.js';

/** A list with nothing recorded yet: what to do next, with the 新建 button for those who may write (onNew). */
export function EmptyWithNew({ hint, newLabel, onNew }: { hint: string; newLabel: string; onNew: (() => void) | null }) {
  return (
    <EmptyState
      hint={hint}
      action={onNew ? <Button type="primary" icon={<PlusOutlined />} onClick={onNew}>{newLabel}</Button> : undefined}
    />
  );
}
