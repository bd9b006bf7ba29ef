export { osloDate } from '#libs/calendar';
