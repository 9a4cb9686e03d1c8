/** Types for scripts/icons.mjs (imported by test/icons.test.ts). */
export const SOURCE: string;
export const LINUX_SIZES: number[];
export const WINDOWS_SIZES: number[];
export const PAGE_SIZES: number[];
export function renderPng(svg: string | Buffer, size: number): Buffer;
export function makeIcons(svg?: string | Buffer): Promise<Map<string, Buffer>>;
