import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, NoControlCharacters } from '#libs/platform';
import { KRONER_PATTERN } from '../open-offering/open-offering.request.js';

export class OfferingFeeRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() offeringId!: string;
  @ApiProperty({ example: '2152.50', description: 'the new fee per semester in NOK, at most two decimals' })
  @IsString()
  @Matches(KRONER_PATTERN, {
    message: 'feePerSemester must be NOK from 0 to 100000 with at most two decimals, like "2052.50"',
  })
  feePerSemester!: string;
}

/** A price list: new fees for several offerings from one semester's first day, for one reason. */
export class PriceListRequest {
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
  @ApiProperty({ type: [OfferingFeeRequest] })
  // IsObject each too: ValidateNested alone takes a nested array ([[]]) for a fee.
  @IsArray()
  @IsObject({ each: true, message: 'each of fees must be an object with an offeringId and a feePerSemester' })
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => OfferingFeeRequest)
  fees!: OfferingFeeRequest[];
}
