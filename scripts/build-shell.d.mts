/** Types for scripts/build-shell.mjs (imported by tests). */
export function bundlePreload(outfile?: string): Promise<string>;
export function buildPlaceholderRenderer(): Promise<string | null>;
export function buildShell(): Promise<void>;
