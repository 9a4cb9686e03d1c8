/**
 * The shell's own IPC channels, in the reserved 'shell:' space. Every contract call travels over
 * CALL_CHANNEL as (channel, arg): the preload needs no list of channels, and the main process's
 * dispatch refuses a channel the handler map does not declare. Menu commands come back over
 * MENU_CHANNEL. Keep this file free of runtime imports: it is bundled into the sandboxed preload.
 */
export const CALL_CHANNEL = 'shell:call';
export const MENU_CHANNEL = 'shell:menu';
