/**
 * Fails the renderer's type-check if Node's types leak into it (e.g. a type import from a db/
 * module whose graph reaches better-sqlite3, which pulls in @types/node). The renderer runs in
 * a browser page: `process` and `Buffer` do not exist there.
 */
// @ts-expect-error Node globals must not be visible to renderer code.
export type NoNodeProcess = typeof process;
// @ts-expect-error Node globals must not be visible to renderer code.
export type NoNodeBuffer = typeof Buffer;
