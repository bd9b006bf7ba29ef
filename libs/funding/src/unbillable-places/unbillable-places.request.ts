import { ListQueryParams, OptionalOneOf, OptionalSchoolYear, OptionalText } from '#libs/query';
import { UNBILLABLE_REASONS, type UnbillableReason } from './unbillable-places.query.js';

/** The worklist's filters, on top of paging, sorting, CSV and as-of builds. */
export class UnbillablePlacesQueryParams extends ListQueryParams {
  @OptionalOneOf(UNBILLABLE_REASONS, { description: 'Only the places with this reason' })
  reason?: UnbillableReason;

  @OptionalSchoolYear()
  schoolYear?: string;

  @OptionalOneOf(['autumn', 'spring'], { description: 'The first semester the place cannot be billed for' })
  semester?: 'autumn' | 'spring';

  @OptionalText(100)
  offeringId?: string;

  @OptionalText(100)
  childId?: string;

  @OptionalText(100)
  payerId?: string;

  @OptionalOneOf(['true', 'false'], { description: 'Withdrawn places (which may still owe a semester) or the others' })
  withdrawn?: 'true' | 'false';

  @OptionalOneOf(['true', 'false'], {
    description:
      "Include each child's name (admin, caseworker; not in CSV); each name read is recorded in the access trail",
  })
  names?: 'true' | 'false';
}
