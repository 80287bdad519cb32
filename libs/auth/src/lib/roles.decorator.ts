import { SetMetadata } from '@nestjs/common';
import type { Role } from './authenticated-user';

export const ROLES_KEY = 'auth:roles';

/**
 * The caller needs at least one of these roles (else 403 ROLE_REQUIRED). On a handler it replaces the
 * controller's; it also makes a route protected even inside a @Public() controller.
 */
export const Roles = (role: Role, ...more: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, [role, ...more]);
