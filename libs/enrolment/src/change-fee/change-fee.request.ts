import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { IsCalendarDate, NoControlCharacters } from '#libs/platform';
import { KRONER_PATTERN } from '../open-offering/open-offering.request.js';

/** A fee per semester in NOK as a decimal string: one offering's, or one line of a price list. */
export const FeePerSemester = () =>
  applyDecorators(
    ApiProperty({ example: '2152.50', description: 'the new fee per semester in NOK, at most two decimals' }),
    IsString(),
    Matches(KRONER_PATTERN, {
      message: 'feePerSemester must be NOK from 0 to 100000 with at most two decimals, like "2052.50"',
    }),
  );

/** When a fee change takes effect and why: the same for one offering and for a price list. */
export class FeeChangeTerms {
  @ApiProperty({
    example: '2027-01-01',
    description: 'a semester’s first day: 1 January (spring) or 1 August (autumn)',
  })
  @IsCalendarDate()
  effectiveFrom!: string;
  @ApiProperty({ example: 'Bystyret 2026-12-10, sak 123/26: fees for 2027' })
  @IsString()
  @Length(1, 500)
  @NoControlCharacters()
  reason!: string;
}

export class ChangeFeeRequest extends FeeChangeTerms {
  @FeePerSemester() feePerSemester!: string;
}
