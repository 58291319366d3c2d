export { MyMemberships } from './MyMemberships';
