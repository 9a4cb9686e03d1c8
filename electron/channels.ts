/**
 * The shell's own IPC channel. Contract channels are '<domain>:<verb>' (db/bridge/channels.ts); the
 * shell's push channel uses the reserved 'shell:' prefix so it can never collide with one.
 * Keep this file free of runtime imports: it is bundled into the sandboxed preload.
 */
export const MENU_CHANNEL = 'shell:menu';
