/** What other features use of payments. */
export { usePay } from './api';
