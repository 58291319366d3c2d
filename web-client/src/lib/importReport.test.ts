import { describe, expect, it } from 'vitest';
import { rejectedRows } from './importReport';

describe('import report', () => {
  it('groups the problems of each rejected line, in line order', () => {
    const fields = {
      'rows[12].national_code': ['bad code'],
      'rows[3].field': ['not accepted'],
      'rows[12].email': ['bad e-mail'],
      'rows[100].first_name': ['name required'],
    };
    expect(rejectedRows(fields)).toEqual([
      { line: 3, problems: ['not accepted'] },
      { line: 12, problems: ['bad code', 'bad e-mail'] },
      { line: 100, problems: ['name required'] },
    ]);
  });
});
