import type { District } from '#libs/municipality';

export type Student =
  | { readonly status: 'New' }
  | {
      readonly status: 'Known';
      readonly studentId: string;
      readonly birthYear: number;
      /** Known once the register reported a move; enrolment takes the district from the enrolling case worker. */
      readonly district: District | null;
      /** Offering id by place id: every place the student holds, on leave or not. */
      readonly places: Readonly<Record<string, string>>;
      /** The register reported a move out of the municipality (cleared by a later move into a district). */
      readonly movedOut?: { readonly effectiveOn: string; readonly eligibleUntil: string };
    };

export const initialStudent: Student = { status: 'New' };
