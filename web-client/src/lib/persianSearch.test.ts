import { describe, expect, it } from 'vitest';
import { matching, searchKey } from './persianSearch';

describe('Persian search', () => {
  it('folds Arabic letters, the non-joiner, spaces and digits', () => {
    expect(searchKey('علي‌آباد كتول')).toBe(searchKey('علی آباد کتول'));
    expect(searchKey('بوئین زهرا')).toBe(searchKey('بویین‌زهرا'));
    expect(searchKey('۱۲۳')).toBe('123');
  });

  it('lists names starting with the text first, then names containing it', () => {
    const cities = ['شهرری', 'ری', 'ریز', 'تهران'];
    expect(matching(cities, 'ري', (c) => c)).toEqual(['ری', 'ریز', 'شهرری']);
    expect(matching(cities, '', (c) => c, 2)).toEqual(['شهرری', 'ری']);
    expect(matching(cities, 'اصفهان', (c) => c)).toEqual([]);
  });
});
