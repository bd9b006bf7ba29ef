import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';

export class CancelledLessonsRequest {
  @ApiProperty({ example: '2025-2026' })
  @Matches(/^\d{4}-\d{4}$/, { message: 'schoolYear must look like 2025-2026' })
  schoolYear!: string;
  @ApiProperty({ enum: ['autumn', 'spring'] }) @IsIn(['autumn', 'spring']) term!: 'autumn' | 'spring';
  @ApiProperty({ example: 3, description: 'the total cancelled by the school this semester so far' })
  @IsInt()
  @Min(0)
  @Max(100)
  cancelledLessons!: number;
}
