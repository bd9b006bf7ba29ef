import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** The application the jury chose. */
export class OfferAfterAuditionRequest {
  @ApiProperty() @IsUUID() applicationId!: string;
}
