/** What other features use of elections. */
export { AssociationElections } from './ElectionAdmin';
