/** Small formatting helpers of the 备份与恢复 and 轮次归档 screens. */
import dayjs from 'dayjs';

/** A backup's or archive's moment, to the second (two backups may share a minute). */
export function moment(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—';
}

/** The rows of a record count, '—' when the count is unknown. */
export function countOf(counts: Record<string, number> | null | undefined, table: string): number | string {
  const n = counts?.[table];
  return typeof n === 'number' ? n : '—';
}

export function total(counts: Record<string, number> | null | undefined): number {
  return Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
}

/**
 * The default place of a round's archive file: beside the ledger (the folder that holds the backups
 * folder the engine names), named after the round. Characters a file name cannot hold become '_'.
 * Empty when the ledger's folder is not known (the user types the whole path).
 */
export function defaultArchivePath(backupsDir: string | null | undefined, roundName: string): string {
  if (!backupsDir) return '';
  const sep = backupsDir.includes('\\') && !backupsDir.includes('/') ? '\\' : '/';
  const trimmed = backupsDir.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (cut < 0) return '';
  const dir = trimmed.slice(0, cut) || sep;
  const name = roundName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || 'round';
  return `${dir.endsWith(sep) ? dir : dir + sep}${name}.xzarchive`;
}
