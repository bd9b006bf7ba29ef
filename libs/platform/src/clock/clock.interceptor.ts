import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { StampedRequest } from '../http/command-context.decorator.js';
import { Clock } from './clock.js';

/** Stamps each request with the clock's time once, so every event of one command carries the same instant. */
@Injectable()
export class ClockInterceptor implements NestInterceptor {
  constructor(private readonly clock: Clock) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    context.switchToHttp().getRequest<StampedRequest>().receivedAt = this.clock.now();
    return next.handle();
  }
}
