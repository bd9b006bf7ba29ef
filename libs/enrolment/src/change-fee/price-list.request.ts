import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsUUID, ValidateNested } from 'class-validator';
import { FeeChangeTerms, FeePerSemester } from './change-fee.request.js';

export class OfferingFeeRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() offeringId!: string;
  @FeePerSemester() feePerSemester!: string;
}

/** A price list: new fees for several offerings from one semester's first day, for one reason. */
export class PriceListRequest extends FeeChangeTerms {
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
