/** What other features use of the profile. */
export { GrantChips } from './GrantChips';
export { grantLabel } from './roles';
