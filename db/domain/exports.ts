/** Limits of the files the app writes for the user, shared by the screens and the engine. */

/** The most rows a table export (导出 of a list or a statistics table) takes; above it the user narrows the filters. */
export const MAX_TABLE_ROWS = 50_000;
