export { officerKeys, useOfficerFields, useReplaceOfficerFields } from './api';
