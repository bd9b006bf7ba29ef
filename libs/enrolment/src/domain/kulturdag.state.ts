import type { District } from '#libs/municipality';

export type Kulturdag =
  | { readonly status: 'NotJoined' }
  | {
      readonly status: 'Joined';
      readonly schoolId: string;
      readonly schoolYear: string;
      readonly district: District;
      readonly pupilIds: readonly string[];
    };

export const initialKulturdag: Kulturdag = { status: 'NotJoined' };
