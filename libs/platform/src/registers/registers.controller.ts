import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { CommandOperation, QueryOperation, shape } from '../http/api-contract.js';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayNotEmpty, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { REGISTERS, SUBJECT_GROUPS, TEACHING_FORMS } from '#libs/municipality';
import { CurrentPrincipal, Roles } from '../auth/auth.guard.js';
import type { Principal } from '../auth/principal.js';
import type { CommandContext } from '../commands/command-context.js';
import { CommandContextOf } from '../http/command-context.decorator.js';
import { IsCalendarDate, NoControlCharacters } from '../http/validators.js';
import { TenantRegisters } from './tenant-registers.js';

export class RegisterChangeReason {
  @ApiProperty({ example: 'Bystyret, sak 88/2026: Huseby kulturskolesenter åpner høsten 2021' })
  @IsString()
  @Length(5, 500)
  @NoControlCharacters()
  reason!: string;
}

/** An entry whole, as the register has it: districts a name; centres also district and openedOn; schools district. */
export class PutRegisterEntryRequest extends RegisterChangeReason {
  @ApiProperty({ example: 'Huseby' }) @IsString() @Length(1, 80) @NoControlCharacters() name!: string;
  @ApiPropertyOptional({ example: 'Heimdal', description: 'centres and schools: a district of the register' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  @NoControlCharacters()
  district?: string;
  @ApiPropertyOptional({ example: '2021-08-16', description: 'centres: the day it opened' })
  @IsOptional()
  @IsCalendarDate()
  openedOn?: string;
  @ApiPropertyOptional({ enum: SUBJECT_GROUPS, description: 'subjects: the GSI subject group' })
  @IsOptional()
  @IsIn(SUBJECT_GROUPS)
  subjectGroup?: string;
  @ApiPropertyOptional({ enum: TEACHING_FORMS, isArray: true, description: 'subjects: the forms it is taught in' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(TEACHING_FORMS, { each: true })
  forms?: string[];
}

export class RegisterEntryParams {
  @ApiProperty({ enum: REGISTERS }) @IsString() @NoControlCharacters() register!: string;
  @ApiProperty({ example: 'Huseby', description: 'what requests name it by: a name, or a school’s slug' })
  @IsString()
  @Length(1, 80)
  @NoControlCharacters()
  key!: string;
}

/**
 * The caller's municipality's registers: districts, centres, schools and the subject catalogue. Staff read them; an
 * admin adds, changes or retires an entry with the decision behind it (`RegisterEntryAdded`/`Changed`/`Retired`).
 */
@ApiTags('registers')
@ApiBearerAuth()
@Controller('registers')
export class RegistersController {
  constructor(private readonly registers: TenantRegisters) {}

  @QueryOperation({
    summary: "The tenant's registers: districts, centres, schools, subjects",
    response: shape({ tenant: 'string', registers: 'object' }),
  })
  @Get()
  @Roles('admin', 'caseworker', 'auditor')
  async get(@CurrentPrincipal() principal: Principal) {
    return { tenant: principal.tenant, registers: await this.registers.of(principal.tenant) };
  }

  @CommandOperation(
    {
      summary: 'Add or change an entry of a register, with the decision behind it',
      response: shape({}, { additionalProperties: true }),
      errors: [404],
    },
    'PUT',
  )
  @Put(':register/:key')
  @HttpCode(200)
  @Roles('admin')
  put(
    @Param() { register, key }: RegisterEntryParams,
    @Body() { reason, ...entry }: PutRegisterEntryRequest,
    @CommandContextOf() command: CommandContext,
  ) {
    const given = Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
    return this.registers.put(command, register, key, given, reason);
  }

  @CommandOperation(
    {
      summary: 'Retire an entry of a register (kept for history), with the decision behind it',
      response: shape({}, { additionalProperties: true }),
      errors: [404],
    },
    'DELETE',
  )
  @Delete(':register/:key')
  @HttpCode(200)
  @Roles('admin')
  retire(
    @Param() { register, key }: RegisterEntryParams,
    @Body() { reason }: RegisterChangeReason,
    @CommandContextOf() command: CommandContext,
  ) {
    return this.registers.retire(command, register, key, reason);
  }
}
