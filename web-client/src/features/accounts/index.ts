/** What other features use of accounts. */
export { SessionsSection } from './SessionsSection';
