import { ListQueryParams, OptionalOneOf, OptionalSchoolYear, OptionalText } from '#libs/query';
import { REREGISTRATION_STATES, type ReregistrationState } from './reregistration-worklist.query.js';

/** The worklist's filters, on top of paging, sorting, CSV and as-of builds. */
export class UnansweredReregistrationsQueryParams extends ListQueryParams {
  @OptionalSchoolYear({
    example: '2025-2026',
    description: "The places' school year (the spring they were asked in); default: the current school year",
  })
  schoolYear?: string;

  @OptionalOneOf(REREGISTRATION_STATES, { description: 'Only the places in this state' })
  state?: ReregistrationState;

  @OptionalOneOf(['true', 'false'], { description: 'Also the places whose deadline is still ahead (default false)' })
  includeAwaiting?: 'true' | 'false';

  @OptionalText(100)
  offeringId?: string;

  @OptionalOneOf(['true', 'false'], {
    description: "Include the child's name (admin, caseworker); each name read is recorded in the access trail",
  })
  names?: 'true' | 'false';
}
