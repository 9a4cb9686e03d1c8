/**
 * The object the preload exposes as `window.api`. Only two capabilities cross the context
 * bridge: invoking a listed channel and listening to menu commands. The raw ipcRenderer and its
 * events never do (an IpcRendererEvent carries `sender`, i.e. the ipcRenderer itself).
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { BridgeResult, MenuCommand, WindowApi } from '../db/bridge/api.js';
import { isMenuCommand, unavailable } from '../db/bridge/api.js';
import { MENU_CHANNEL } from './channels.js';

type Ipc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createWindowApi(ipc: Ipc, channels: readonly string[]): WindowApi {
  const known = new Set(channels);
  return {
    invoke(channel: string, arg: unknown): Promise<BridgeResult<unknown>> {
      if (typeof channel !== 'string' || !known.has(channel)) {
        return Promise.resolve({ ok: false, error: unavailable(channel) });
      }
      return ipc.invoke(channel, arg) as Promise<BridgeResult<unknown>>;
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
