/**
 * 轮次归档与清理 as calls (db/core/call.ts): archive a finished round, purge it, restore it, and
 * the read-side queries the screen needs. Archiving, purging and restoring are for the 管理员 only;
 * the role is checked before the argument (a user without it learns nothing of its shape).
 *
 * `archiveCalls(opts)` builds them with the host's KDF parameters and migrations folder; the
 * module-level exports use the defaults (DEFAULT_KDF, db/migrations).
 */
import type * as v from 'valibot';
import { defineCall, type Call } from '../core/call.js';
import type { ServiceContext } from '../core/context.js';
import { inTransaction } from '../core/context.js';
import { forbidden } from '../domain/errors.js';
import * as f from '../domain/fields.js';
import { getRow } from '../core/write.js';
import { rounds } from '../schema/index.js';
import { notFound } from '../domain/errors.js';
import { createRoundArchive, type ArchiveOptions, type ArchiveResult } from './create.js';
import { purgeRoundRecords, type PurgeResult } from './purge.js';
import { restoreRoundArchive, type RestoreResult } from './restore.js';
import { collectScope, dropScope, openWork, openWorkMessage, type OpenWork } from './scope.js';

export type { ArchiveResult, PurgeResult, RestoreResult };

function requireAdmin(ctx: ServiceContext, what: string): void {
  if (!ctx.user) throw forbidden('请先登录。', 'not_logged_in');
  if (ctx.user.role !== 'admin') throw forbidden(`只有管理员可以${what}。`, 'admin_only');
}

/** A call for the 管理员 only: the role first, then the argument, then the body. */
function adminCall<S extends v.GenericSchema, R>(what: string, arg: S, run: (ctx: ServiceContext, a: v.InferOutput<S>) => R): Call<S, R> {
  const inner = defineCall({ arg }, run);
  const call = (ctx: ServiceContext, raw?: unknown): R => {
    requireAdmin(ctx, what);
    return inner(ctx, raw);
  };
  return Object.assign(call, { arg, permission: undefined });
}

const roundId = f.id('巡视轮次');
const pathField = f.text('归档文件位置', 1000);
const sha256Field = f.v.pipe(
  f.text('归档文件的SHA-256', 64),
  f.rule('bad_sha256', (s: string) => /^[0-9a-fA-F]{64}$/.test(s), '归档文件的SHA-256应为64位十六进制字符。'),
);
/** Typed by hand, compared exactly with the round's name (no trimming). */
const confirmField = f.v.pipe(
  f.v.string('请输入轮次名称以确认清理。'),
  f.rule('too_long', (s: string) => s.length <= 400, '输入的确认文字过长。'),
);

export interface ArchiveReadiness {
  roundId: string;
  roundName: string;
  finished: boolean;
  /** zh-CN: why it cannot be archived yet (null when it can). */
  reason: string | null;
  open: OpenWork;
  /** Records that would be archived, per table. */
  counts: Record<string, number>;
  /** Archives made of this round (newest first). */
  archives: ArchiveView[];
}

export interface ArchiveView {
  id: string;
  roundId: string;
  roundName: string;
  fileName: string;
  filePath: string;
  sha256: string;
  status: 'archived' | 'purged' | 'restored';
  counts: Record<string, number>;
  createdAt: string;
  createdBy: string | null;
  purgedAt: string | null;
  purgedBy: string | null;
  restoredAt: string | null;
  restoredBy: string | null;
}

const ARCHIVE_VIEW_SQL = `SELECT a.id, a.round_id AS roundId, a.round_name AS roundName, a.file_name AS fileName, a.file_path AS filePath,
  a.sha256, a.status, a.counts, a.created_at AS createdAt, cu.display_name AS createdBy,
  a.purged_at AS purgedAt, pu.display_name AS purgedBy, a.restored_at AS restoredAt, ru.display_name AS restoredBy
FROM round_archives a
LEFT JOIN users cu ON cu.id = a.created_by LEFT JOIN users pu ON pu.id = a.purged_by LEFT JOIN users ru ON ru.id = a.restored_by
WHERE a.deleted_at IS NULL`;

function archiveViews(ctx: ServiceContext, roundIdOrNull: string | null): ArchiveView[] {
  const rows = ctx.ledger.prepare(`${ARCHIVE_VIEW_SQL} AND (? IS NULL OR a.round_id = ?) ORDER BY a.created_at DESC, a.id DESC`)
    .all(roundIdOrNull, roundIdOrNull) as Array<Omit<ArchiveView, 'counts'> & { counts: string }>;
  return rows.map((r) => ({ ...r, counts: JSON.parse(r.counts) as Record<string, number> }));
}

/**
 * The archive calls, made with the host's KDF parameters and migrations folder (`opts`, or a
 * function read at each call, e.g. `() => host.archiveOptions`).
 */
export function archiveCalls(options: ArchiveOptions | (() => ArchiveOptions) = {}) {
  const opts = () => (typeof options === 'function' ? options() : options);
  /** {roundId}: whether the round can be archived, what is still open, what would be archived. */
  const readiness = adminCall('归档轮次', f.args({ roundId }), (ctx, a): ArchiveReadiness => {
    const round = getRow(ctx, rounds, a.roundId);
    if (!round) throw notFound('巡视轮次', a.roundId, 'roundId');
    const sqlite = ctx.ledger.sqlite;
    try {
      return inTransaction(ctx, () => {
        const counts = collectScope(sqlite, round.id);
        const open = openWork(sqlite);
        const reason = openWorkMessage(open);
        return { roundId: round.id, roundName: round.name, finished: reason === null, reason, open, counts, archives: archiveViews(ctx, round.id) };
      });
    } finally {
      dropScope(sqlite);
    }
  });

  /** {roundId, path}: write the archive file and its key file; returns the recovery key (once) and the SHA-256. */
  const archiveRound = adminCall('归档轮次', f.args({ roundId, path: pathField }), (ctx, a): ArchiveResult => createRoundArchive(ctx, a, opts()));

  /** {roundId, archiveSha256, confirmText}: remove the archived round from this ledger. */
  const purgeRound = adminCall('清理轮次数据', f.args({ roundId, archiveSha256: sha256Field, confirmText: confirmField }), (ctx, a): PurgeResult =>
    purgeRoundRecords(ctx, a));

  /** {path, recoveryKey}: bring an archived round back. */
  const restoreArchive = adminCall('恢复归档', f.args({ path: pathField, recoveryKey: f.text('恢复密钥', 64) }), (ctx, a): RestoreResult =>
    restoreRoundArchive(ctx, a, opts()));

  /** Every archive made here, with its state (归档/已清理/已恢复). */
  const listArchives = adminCall('查看归档记录', f.NO_ARGS, (ctx): ArchiveView[] => archiveViews(ctx, null));

  return { readiness, archiveRound, purgeRound, restoreArchive, listArchives };
}

export const {
  readiness: archiveReadiness, archiveRound, purgeRound, restoreArchive, listArchives,
} = archiveCalls();
