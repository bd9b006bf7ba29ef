/** Request bodies the enrolment e2e specs share: an open offering and a student enrolled in it. */
export const offeringRequest = (subject: string, capacity: number) => ({
  subject,
  subjectGroup: 'music',
  programme: 'core',
  location: 'Ranheim',
  district: 'Østbyen',
  form: 'individual',
  capacity,
  feePerSemesterNok: 2105,
  schoolYear: '2025-2026',
});

export const studentRequest = (studentId: string, school = 'Ranheim skole') => ({
  studentId,
  birthYear: 2012,
  gender: 'female',
  district: 'Østbyen',
  school,
});
