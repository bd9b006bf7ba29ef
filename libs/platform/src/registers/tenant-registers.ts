import { Inject, Injectable, Optional } from '@nestjs/common';
import { fold } from '#libs/decider';
import { streamName, type EventStore } from '#libs/event-store';
import {
  DEFAULT_REGISTERS,
  defaultRegistersOf,
  isKnown,
  isRegisterName,
  NotInRegister,
  registersDecider,
  RegisterNotKept,
  type ProposedEntry,
  type RegisterCommand,
  type RegisterEvent,
  type RegisterName,
  type Registers,
} from '#libs/municipality';
import type { Principal } from '../auth/principal.js';
import { eventIdFor, type CommandContext } from '../commands/command-context.js';
import { StreamCommandHandler } from '../commands/stream-command-handler.js';
import { EVENT_STORE } from '../tokens.js';

/** Injection token: the deployment's registers per tenant id (Trondheim's and Lindesnes' unless replaced). */
export const REGISTER_DEFAULTS = Symbol('REGISTER_DEFAULTS');

export const registersStream = (tenant: string): string => streamName(tenant, 'municipality', 'registers', 'all');

/** The same id for an entry whatever changes it, so the auditor's history of it (`GET /audit/history/{id}`) finds all. */
export const registerEntryId = (tenant: string, register: RegisterName, key: string): string =>
  eventIdFor(`registers:${tenant}:${register}`, key, 0);

/**
 * Each tenant's districts, centres, schools and subject catalogue: the deployment's defaults for the tenant (none for
 * a tenant it has none for) with the tenant's recorded changes on top (`RegisterEntryAdded`/`Changed`/`Retired` on
 * `<tenant>.municipality.registers-all`, the reason and the actor in the metadata). Read per command like the
 * PolicyBook, so a change applies from the next command in every process.
 */
@Injectable()
export class TenantRegisters {
  private readonly perCaller = new WeakMap<object, Promise<Registers>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly streams: StreamCommandHandler,
    @Optional()
    @Inject(REGISTER_DEFAULTS)
    private readonly defaults: Readonly<Record<string, Registers>> = DEFAULT_REGISTERS,
  ) {}

  /** The tenant's registers in force now. */
  async of(tenant: string): Promise<Registers> {
    const decider = registersDecider(defaultRegistersOf(tenant, this.defaults));
    const events = await this.store.readStream(registersStream(tenant));
    return fold(
      decider,
      events.map((e) => ({ type: e.type, data: e.data }) as RegisterEvent),
    );
  }

  /**
   * The registers as one command or request sees them: read once however many fields it checks. Keyed by the caller's
   * principal, which every step of one command shares and every request has anew.
   */
  forCaller(principal: Principal): Promise<Registers> {
    const known = this.perCaller.get(principal);
    if (known) return known;
    const read = this.of(principal.tenant);
    this.perCaller.set(principal, read);
    read.catch(() => this.perCaller.delete(principal)); // a failed read is tried again, not remembered
    return read;
  }

  /** A 400 naming the field when the value is not in the caller's tenant's register; nothing is written before it. */
  async assertKnown(principal: Principal, register: RegisterName, value: string, field: string): Promise<void> {
    if (!isKnown(await this.forCaller(principal), register, value)) throw new NotInRegister(register, value, field);
  }

  /** Adds the entry, or changes it when the key is in force; the reason is the decision it carries out. */
  async put(command: CommandContext, register: string, key: string, entry: ProposedEntry, reason: string) {
    const name = this.kept(register);
    const current = await this.of(command.principal.tenant);
    const type = Object.hasOwn(current[name], key) ? 'ChangeRegisterEntry' : 'AddRegisterEntry';
    return this.handle(command, { type, data: { ...this.ids(command, name, key), entry, reason } }, reason);
  }

  async retire(command: CommandContext, register: string, key: string, reason: string) {
    const name = this.kept(register);
    return this.handle(
      command,
      { type: 'RetireRegisterEntry', data: { ...this.ids(command, name, key), reason } },
      reason,
    );
  }

  private async handle(command: CommandContext, change: Omit<RegisterCommand, 'metadata'>, reason: string) {
    const tenant = command.principal.tenant;
    const decider = registersDecider(defaultRegistersOf(tenant, this.defaults));
    const { events, state } = await this.streams.handle(
      registersStream(tenant),
      decider,
      { ...change, metadata: { now: command.now.toISOString() } } as RegisterCommand,
      { ...command, reason },
    );
    const { register, key, entryId } = change.data;
    return { register, key, entryId, changed: events.map((e) => e.type), entry: state[register][key] ?? null };
  }

  private ids(command: CommandContext, register: RegisterName, key: string) {
    return { register, key, entryId: registerEntryId(command.principal.tenant, register, key) };
  }

  private kept(register: string): RegisterName {
    if (!isRegisterName(register)) throw new RegisterNotKept(register);
    return register;
  }
}
