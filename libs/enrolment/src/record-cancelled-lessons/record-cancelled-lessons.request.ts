import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsSchoolYear } from '#libs/platform';

export class CancelledLessonsRequest {
  @ApiProperty({ example: '2025-2026' })
  @IsSchoolYear()
  schoolYear!: string;
  @ApiProperty({ enum: ['autumn', 'spring'] }) @IsIn(['autumn', 'spring']) term!: 'autumn' | 'spring';
  @ApiProperty({ example: 3, description: 'the total cancelled by the school this semester so far' })
  @IsInt()
  @Min(0)
  @Max(100)
  cancelledLessons!: number;
}
