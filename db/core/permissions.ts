import type { ServiceContext, ActingUser } from './context.js';
import { forbidden } from '../domain/errors.js';
import { can, PERMISSION_LABELS, type Permission } from '../domain/permissions.js';

export { can, permissionsOf, type Permission } from '../domain/permissions.js';

/** Refuse with FORBIDDEN unless the acting user holds `p`; returns the user. */
export function requirePermission(ctx: ServiceContext, p: Permission): ActingUser {
  if (!ctx.user) throw forbidden('请先登录。', 'not_logged_in');
  if (!can(ctx.user, p)) throw forbidden(`当前用户没有“${PERMISSION_LABELS[p]}”的权限。`, p);
  return ctx.user;
}
