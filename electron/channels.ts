/**
 * The IPC channel names the shell uses. Contract channels are '<domain>:<verb>'; the shell's own
 * push channel uses the reserved 'shell:' prefix so it can never collide with one.
 *
 * SHELL_CHANNELS is the channel list until db/contract.ts provides the real one (its runtime
 * list replaces this import in main.ts and preload.ts). Keep this file free of runtime imports:
 * it is bundled into the sandboxed preload.
 */
export const MENU_CHANNEL = 'shell:menu';

export const SHELL_CHANNELS = ['office:get', 'session:login', 'session:logout', 'session:current', 'users:list'] as const;
export type ShellChannel = (typeof SHELL_CHANNELS)[number];
