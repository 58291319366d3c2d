export { MyMemberships } from './MyMemberships';
export { DEGREES } from './ProfileEditor';
