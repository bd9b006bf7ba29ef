import { Module } from '@nestjs/common';
import { PoliciesController } from './policies.controller.js';

/** The rules' routes (read, change), for the apps of the contexts that have rules; PlatformModule provides the book. */
@Module({ controllers: [PoliciesController] })
export class PoliciesHttpModule {}
