import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import {
  APP_CONFIG,
  CurrentPrincipal,
  issueToken,
  QueryOperation,
  Roles,
  type Principal,
  PublicOperation,
  PublicRoute,
  shape,
  type AppConfig,
  type LocalSigningKey,
} from '#libs/platform';

export const LOCAL_SIGNING_KEY = Symbol('LOCAL_SIGNING_KEY');
const SIGN_IN_ROLES = ['admin', 'caseworker', 'auditor'] as const;

export class LocalSignInRequest {
  @ApiProperty({ enum: SIGN_IN_ROLES })
  @IsIn(SIGN_IN_ROLES, { message: `role must be one of: ${SIGN_IN_ROLES.join(', ')}` })
  role!: (typeof SIGN_IN_ROLES)[number];
}

/**
 * `npm start`'s sign-in for the dashboard: a token of the default tenant for the chosen role, signed with the local
 * key. Registered only where this process holds that key and NODE_ENV is not production (docs/adr/0015).
 */
@ApiTags('dashboard')
@Controller('dashboard/local-sign-in')
export class LocalSignInController {
  constructor(
    @Inject(LOCAL_SIGNING_KEY) private readonly key: LocalSigningKey,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @PublicRoute()
  @PublicOperation({
    summary: 'Local and development only: a token for a role of the default tenant',
    description: 'Answers 404 where the deployment has no local signing key or runs in production.',
    response: shape({ token: 'string', subject: 'string', tenant: 'string', role: 'string', expiresAt: 'date-time' }),
    errors: [400, 404],
  })
  async signIn(@Body() { role }: LocalSignInRequest) {
    // A working day, and never longer than a token may live.
    const lifetime = Math.min(8 * 3600, this.config.TOKEN_MAX_LIFETIME_SECONDS);
    const principal = { subject: `local-${role}`, tenant: this.config.DEFAULT_TENANT, role };
    const token = await issueToken(this.key, principal, {
      issuer: this.config.AUTH_ISSUER,
      audience: this.config.AUTH_AUDIENCE,
      expiresIn: `${lifetime}s`,
    });
    return { token, ...principal, expiresAt: new Date(Date.now() + lifetime * 1000).toISOString() };
  }
}

/**
 * Who the platform takes the caller to be: a municipality's identity provider issues its own claims, which the
 * configured mapping turns into a tenant and a role (docs/adr/0016); the dashboard shows screens by this answer.
 */
@ApiTags('dashboard')
@Controller('dashboard/me')
export class SignedInController {
  @Get()
  @Roles('admin', 'caseworker', 'auditor')
  @QueryOperation({
    summary: 'The signed-in principal as the platform maps it: tenant, role and subject',
    response: shape({ subject: 'string', tenant: 'string', role: 'string' }),
  })
  me(@CurrentPrincipal() { subject, tenant, role }: Principal) {
    return { subject, tenant, role };
  }
}

export const DASHBOARD_SETTINGS = Symbol('DASHBOARD_SETTINGS');

/** What the dashboard needs before anyone signs in: which sign-in this deployment offers. */
@ApiTags('dashboard')
@Controller('dashboard/settings')
export class DashboardSettingsController {
  constructor(@Inject(DASHBOARD_SETTINGS) private readonly settings: DashboardSettings) {}

  @Get()
  @PublicRoute()
  @PublicOperation({
    summary: "The dashboard's sign-in: local roles (npm start) or an OpenID Connect issuer",
    response: shape({
      tenant: 'string',
      localSignIn: {
        type: 'object',
        nullable: true,
        properties: { roles: { type: 'array', items: { type: 'string' } } },
      },
      oidc: { type: 'object', nullable: true, additionalProperties: true },
    }),
  })
  get(): DashboardSettings {
    return this.settings;
  }
}

export interface DashboardSettings {
  tenant: string;
  localSignIn: { roles: readonly string[] } | null;
  oidc: { issuer: string; clientId: string; scope: string } | null;
}

export const localSignInAllowed = (config: Pick<AppConfig, 'NODE_ENV'>, holdsLocalKey: boolean): boolean =>
  holdsLocalKey && config.NODE_ENV !== 'production';

export const settingsOf = (config: AppConfig, localSignIn: boolean): DashboardSettings => ({
  tenant: config.DEFAULT_TENANT,
  localSignIn: localSignIn ? { roles: SIGN_IN_ROLES } : null,
  oidc:
    config.DASHBOARD_OIDC_ISSUER && config.DASHBOARD_OIDC_CLIENT_ID
      ? { issuer: config.DASHBOARD_OIDC_ISSUER, clientId: config.DASHBOARD_OIDC_CLIENT_ID, scope: 'openid' }
      : null,
});
