/**
 * 备份与恢复 (security issue item 4): encrypted, verified, rotating backups of the ledger; restore
 * with the current ledger kept aside; the schedule. See db/backup/backup.ts for the approach.
 */
export {
  backupInProgress, backupSync, backupToFolder, createBackup, newestMigration, verifyBackup,
  type BackupProgress, type BackupResult, type BackupSyncOptions, type CreateBackupOptions, type VerifiedBackup, type VerifyOptions,
} from './backup.js';
export { restoreBackup, resetAnchor, type RestoreOptions, type RestoreProgress, type RestoreResult } from './restore.js';
export {
  BACKUP_REASONS, DEFAULT_ROTATION, REASON_LABELS, listBackups, readManifest, removeBackup, rotateBackups,
  type BackupEntry, type BackupManifest, type BackupProblem, type BackupReason, type RotationPolicy,
} from './manifest.js';
export { COUNTED_TABLES, type Inspection } from './inspect.js';
export { BackupScheduler, type SchedulerOptions } from './scheduler.js';
