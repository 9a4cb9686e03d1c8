/**
 * 报告文稿 saved for the user: the draft as the user edited it on the screen (reports:draft gave
 * the first version, db/reports/drafts.ts), written as a Word document (db/reports/docx.ts). The
 * PDF comes from the page itself, through Chromium's print engine (window.print / 另存为PDF).
 *
 * The draft is validated by `draftSchema` (db/domain/report-draft.ts), the one declaration that
 * gives its TypeScript type in the contract, its run-time check with zh-CN messages, and the
 * contract fuzz's arguments. The engine writes what it is sent, nothing more: an edited draft is
 * the user's text, not the ledger's.
 *
 * Like the other file channels (db/bridge/file-calls.ts) it awaits and writes a file, so it runs
 * outside the dispatcher's transaction; where the file goes is `saveTarget`'s: the desktop save
 * dialog (null: cancelled), or the ledger's 导出 folder in the browser harness, offered as a
 * download. Right, checked before the argument is read: `ledger.read` (the draft holds nothing
 * that reports:draft did not already show the user).
 */
import * as f from '../domain/fields.js';
import { draftSchema } from '../domain/report-draft.js';
import { writeDraftDocx } from '../reports/docx.js';
import type { LedgerHost, Session } from '../session/host.js';
import { saveWritten, type SavedFile } from './file-calls.js';
import { ledgerFileCall, refusedFileCall, type ShellHooks } from './session-calls.js';

const saveDocxArg = f.args({
  draft: draftSchema,
  /** The file name offered (without folder); '.docx' is added when missing. */
  name: f.text('文件名', 120),
});

export type ReportFileCalls = ReturnType<typeof hostReportCalls>;

/** The report file channels: the host's, or refusals on an engine-only transport (no files there). */
export function reportFileCalls(session: Session, shell: ShellHooks): ReportFileCalls {
  if (shell.host) return hostReportCalls(session, shell, shell.host);
  return { 'reports:saveDocx': refusedFileCall('ledger.read', saveDocxArg) } as unknown as ReportFileCalls;
}

function hostReportCalls(session: Session, shell: ShellHooks, hostOf: () => LedgerHost) {
  const ctxOf = () => hostOf().context(session);
  return {
    /** 导出Word: the edited draft as .docx (A4, 仿宋, page numbers); null when the save dialog was cancelled. */
    'reports:saveDocx': ledgerFileCall('ledger.read', saveDocxArg, ctxOf, async (_ctx, a): Promise<SavedFile | null> => {
      return saveWritten(shell, hostOf().path, 'docx', a.name, async (path) => {
        await writeDraftDocx(a.draft, path);
        return {};
      });
    }),
  };
}
