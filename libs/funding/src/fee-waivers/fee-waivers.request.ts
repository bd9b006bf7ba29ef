import { IntersectionType } from '@nestjs/swagger';
import { OptionalOneOf, OptionalPositiveInt, OptionalSchoolYear, OptionalText, RequiredSchoolYear } from '#libs/query';

const SUBJECT_GROUPS = ['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'];

export class SchoolYearQuery {
  @OptionalSchoolYear()
  schoolYear?: string;
}

export class RequiredSchoolYearQuery {
  @RequiredSchoolYear()
  schoolYear!: string;
}

export class PageQuery extends SchoolYearQuery {
  @OptionalPositiveInt({ example: 1 })
  page?: number;
  @OptionalPositiveInt({ example: 50 }, 200)
  pageSize?: number;
}

/** The slice of waivers both the list and the counts filter on. */
class WaiverSliceFields {
  @OptionalOneOf(['full', 'partial'])
  level?: 'full' | 'partial';
  // A district of the caller's tenant's register: checked by the controller.
  @OptionalText(80, { example: 'Heimdal' })
  district?: string;
  @OptionalOneOf(SUBJECT_GROUPS)
  subjectGroup?: string;
}

export class ActiveWaiversQuery extends IntersectionType(PageQuery, WaiverSliceFields) {}

export class WaiverCountsQuery extends IntersectionType(SchoolYearQuery, WaiverSliceFields) {}
