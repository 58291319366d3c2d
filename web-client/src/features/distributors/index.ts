/** What other features use of distributors. */
export { useDistributors } from './api';
