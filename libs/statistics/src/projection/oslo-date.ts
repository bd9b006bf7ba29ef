export { dayBefore, osloDate } from '#libs/calendar';
