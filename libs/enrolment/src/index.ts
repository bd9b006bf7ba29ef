export * from './domain/index.js';
export * from './enrol-student/enrol-student.handler.js';
export * from './enrolment.module.js';
export * from './shared/enrolment-streams.js';
export * from './shared/offering-stream.js';
export * from './change-district/change-district.handler.js';
export * from './offerings-read-model/offerings.projection.js';
