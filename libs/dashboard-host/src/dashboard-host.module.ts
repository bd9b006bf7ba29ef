import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '#libs/platform';
import { serveDashboard } from './dashboard-files.js';
import {
  DASHBOARD_SETTINGS,
  DashboardSettingsController,
  type DashboardSettings,
  LOCAL_SIGNING_KEY,
  LocalSignInController,
  SignedInController,
  localSignInAllowed,
  settingsOf,
} from './local-sign-in.controller.js';

/**
 * The kulturskole's own screens (apps/dashboard, built to dist/dashboard) at `/dashboard/`, with the sign-in the
 * deployment offers: local roles where this process signs its own tokens outside production, else OIDC (ADR 0015).
 */
@Module({})
export class DashboardHostModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(DASHBOARD_SETTINGS) private readonly settings: DashboardSettings,
  ) {}

  static forRuntime(runtime: Runtime): DynamicModule {
    const local = localSignInAllowed(runtime.config, runtime.localKey !== undefined);
    return {
      module: DashboardHostModule,
      controllers: [DashboardSettingsController, SignedInController, ...(local ? [LocalSignInController] : [])],
      providers: [
        { provide: DASHBOARD_SETTINGS, useValue: settingsOf(runtime.config, local) },
        ...(local ? [{ provide: LOCAL_SIGNING_KEY, useValue: runtime.localKey }] : []),
      ],
    };
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    serveDashboard(fastify, { oidcIssuer: this.settings.oidc?.issuer });
  }
}
