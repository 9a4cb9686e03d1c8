/** Limits of the files the app writes for the user, shared by the screens and the engine. */

/** The most rows a table export (导出 of a list or a statistics table) takes; above it the user narrows the filters. */
export const MAX_TABLE_ROWS = 50_000;

/**
 * The most rows one printed ledger holds (a list's 打印 and the 法定台账): a ledger cut short on paper
 * would look complete, so above it the user is asked to print by unit or round.
 */
export const MAX_PRINTED_ROWS = 5000;
