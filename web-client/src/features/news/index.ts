/** What other features use of news. */
export { NewsSection } from './NewsSection';
