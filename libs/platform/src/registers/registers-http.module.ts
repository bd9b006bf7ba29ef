import { Module } from '@nestjs/common';
import { RegistersController } from './registers.controller.js';

/** The registers' routes (read, change); PlatformModule provides TenantRegisters to every app. */
@Module({ controllers: [RegistersController] })
export class RegistersHttpModule {}
