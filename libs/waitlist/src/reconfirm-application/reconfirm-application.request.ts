import { ApiProperty } from '@nestjs/swagger';
import { IsSchoolYear } from '#libs/platform';

/** The school year the family confirms the waitlist entry for (rule 6: yearly, by the spring deadline). */
export class ReconfirmApplicationRequest {
  @ApiProperty({ example: '2026-2027' })
  @IsSchoolYear()
  schoolYear!: string;
}
