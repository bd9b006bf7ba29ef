import { Injectable } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { BusCommand, WithoutMetadata } from '#libs/platform';
import type { KulturdagCommand, KulturdagEvent } from '../domain/index.js';
import { EnrolmentStreams } from './enrolment-streams.js';
import type { Written } from './offering-command-handler.js';

/**
 * The handler of a bus command that writes one school's Kulturdag stream for a school year, and nothing else: each
 * use case says which Kulturdag command it sends (`kulturdagCommand`) and what the route answers (`response`).
 */
@Injectable()
export abstract class KulturdagCommandHandler<
  Data extends { schoolId: string; schoolYear: string },
> implements ICommandHandler<BusCommand<Data>> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  protected abstract kulturdagCommand(data: Data): WithoutMetadata<KulturdagCommand>;
  protected abstract response(data: Data, written: Written<KulturdagEvent>): object;

  async execute({ data, context }: BusCommand<Data>) {
    const { schoolId, schoolYear } = data;
    return this.response(
      data,
      await this.enrolment.kulturdag(schoolId, schoolYear, this.kulturdagCommand(data), context),
    );
  }
}
