import { Injectable } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { BusCommand, WithoutMetadata } from '#libs/platform';
import type { OfferingCommand, OfferingEvent } from '../domain/index.js';
import { EnrolmentStreams } from './enrolment-streams.js';

/** What one write to a stream gives back to the use case that answers from it. */
export interface Written<Event = unknown> {
  events: Event[];
  revision: number;
}

/**
 * The handler of a bus command that writes its offering's stream once, and nothing else: each use case says which
 * offering command it sends (`offeringCommand`) and what the route answers (`response`). A command that writes
 * several streams (enrol, withdraw, transfer) or makes its offering's id writes its own `execute`.
 */
@Injectable()
export abstract class OfferingCommandHandler<Data extends { offeringId: string }> implements ICommandHandler<
  BusCommand<Data>
> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  protected abstract offeringCommand(data: Data): WithoutMetadata<OfferingCommand>;
  protected abstract response(data: Data, written: Written<OfferingEvent>): object;

  async execute({ data, context }: BusCommand<Data>) {
    return this.response(data, await this.enrolment.offering(data.offeringId, this.offeringCommand(data), context));
  }
}
