/**
 * The shell's handler map until db/contract.ts provides the real one: enough to log in and see
 * the office and its users. Login and logout change the window's session, which every later
 * call's context reads (db/bridge.ts sessionContext).
 */
import type { Handlers, Session } from '../db/bridge.js';
import { getOffice, listUsers, login } from '../db/services/office.js';
import type { ShellChannel } from './channels.js';

export function makeShellHandlers(session: Session): Handlers & Record<ShellChannel, Handlers[string]> {
  return {
    'office:get': (ctx) => getOffice(ctx),
    'session:login': (ctx, arg) => {
      const user = login(ctx, arg);
      session.user = user;
      return user;
    },
    'session:logout': () => {
      session.user = null;
      return null;
    },
    'session:current': (ctx) => ctx.user,
    'users:list': (ctx) => listUsers(ctx),
  };
}
