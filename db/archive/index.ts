/**
 * 轮次归档、清理与恢复 (data lifecycle: 存储 → 清理): a finished round goes to an encrypted, read-only
 * archive file with its own recovery key (create.ts, file.ts), is then purged from the working
 * ledger with a purge record in the audit trail (purge.ts), and can be opened read-only or restored
 * (file.ts openArchive, restore.ts). What belongs to a round: scope.ts.
 */
export * from './calls.js';
export { ARCHIVE_EXT, openArchive, checkArchivePages, readArchiveKeys, fileSha256, type ArchiveManifest, type OpenedArchive } from './file.js';
export { createRoundArchive, type ArchiveOptions } from './create.js';
export { purgeRoundRecords } from './purge.js';
export { isPurgedStatement, checkPurgeLists, purgeDigest } from './purge-list.js';
export { restoreRoundArchive } from './restore.js';
