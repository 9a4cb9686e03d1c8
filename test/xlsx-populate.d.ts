/** The part of xlsx-populate (no types of its own) the Excel tests use: re-saving a workbook with a password. */
declare module 'xlsx-populate' {
  interface Workbook { outputAsync(o?: { password?: string }): Promise<Buffer | Uint8Array> }
  const XlsxPopulate: { fromDataAsync(data: Buffer | Uint8Array): Promise<Workbook> };
  export default XlsxPopulate;
}
