/**
 * The object the preload exposes as `window.api`. Only two capabilities cross the context
 * bridge: invoking a contract channel (over the one call channel) and listening to menu commands. The raw ipcRenderer and its
 * events never do (an IpcRendererEvent carries `sender`, i.e. the ipcRenderer itself).
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { BridgeResult, MenuCommand, WindowApi } from '../db/bridge/api.js';
import { isMenuCommand, unavailable } from '../db/bridge/api.js';
import { CALL_CHANNEL, MENU_CHANNEL } from './channels.js';

type Ipc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/** A contract channel's shape: '<domain>:<verb>' (the main process decides whether it exists). */
const CHANNEL_RE = /^[a-zA-Z]+:[a-zA-Z]+$/;

export function createWindowApi(ipc: Ipc): WindowApi {
  return {
    invoke(channel: string, arg: unknown): Promise<BridgeResult<unknown>> {
      if (typeof channel !== 'string' || !CHANNEL_RE.test(channel) || channel.startsWith('shell:')) {
        return Promise.resolve({ ok: false, error: unavailable(channel) });
      }
      return ipc.invoke(CALL_CHANNEL, channel, arg) as Promise<BridgeResult<unknown>>;
    },
    onMenu(cb: (command: MenuCommand) => void): () => void {
      const listener = (_event: IpcRendererEvent, command: unknown) => {
        if (isMenuCommand(command)) cb(command);
      };
      ipc.on(MENU_CHANNEL, listener);
      return () => {
        ipc.removeListener(MENU_CHANNEL, listener);
      };
    },
  } as WindowApi;
}
