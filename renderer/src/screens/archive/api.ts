/** The archive screens' engine types, and the read calls on an opened archive (archive:query). */
import type { ArgOf, ResultOf } from '../../../../db/bridge/contract.js';
import type { ARCHIVE_READS } from '../../../../db/bridge/handlers.js';
import { call } from '../../api/client.js';

export type Readiness = Awaited<ResultOf<'archive:readiness'>>;
export type ArchiveRow = Awaited<ResultOf<'archive:list'>>[number];
export type Created = Awaited<ResultOf<'archive:create'>>;
export type Opened = Awaited<ResultOf<'archive:open'>> & { path: string };

/** A read call the opened archive answers (db/bridge/handlers.ts ARCHIVE_READS). */
export type ArchiveRead = (typeof ARCHIVE_READS)[number];

/**
 * Run one of ARCHIVE_READS on the session's opened archive (read-only, with the user's own rights):
 * the same argument and result as the channel on the working ledger.
 */
export async function archiveRead<C extends ArchiveRead>(channel: C, arg: ArgOf<C>): Promise<Awaited<ResultOf<C>>> {
  return (await call('archive:query', { channel, arg })) as Awaited<ResultOf<C>>;
}

/** The archive of a round a purge may rely on: the newest not yet used for a purge. */
export function purgeable(r: Readiness): ArchiveRow | undefined {
  return r.archives.find((a) => a.status !== 'purged');
}
