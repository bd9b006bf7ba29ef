import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** The school year the family confirms the waitlist entry for (rule 6: yearly, by the spring deadline). */
export class ReconfirmApplicationRequest {
  @ApiProperty({ example: '2026-2027' })
  @Matches(/^\d{4}-\d{4}$/, { message: 'schoolYear must look like 2026-2027' })
  schoolYear!: string;
}
