import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** Who pays for the child's places; the number goes to the people register, never into an event. */
export class RegisterPayerRequest {
  @ApiProperty({ description: "the paying guardian's fødselsnummer or D-number, 11 digits" })
  @Matches(/^\d{11}$/, { message: 'payerNationalId must be 11 digits' })
  payerNationalId!: string;
}
