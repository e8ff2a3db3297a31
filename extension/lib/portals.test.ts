import { describe, expect, test } from 'vitest';
import { portalPattern } from './portals.ts';

describe('portal patterns from what a user types', () => {
  test.each([
    ['gbxt.example.gov.cn', 'https://gbxt.example.gov.cn/*'],
    ['https://gbxt.example.gov.cn/roster?page=2', 'https://gbxt.example.gov.cn/*'],
    ['http://10.1.2.3:8080/oa/', 'http://10.1.2.3/*'],
    ['  HTTP://OA.Local/  ', 'http://oa.local/*'],
    ['https://*.example.gov.cn/*', 'https://*.example.gov.cn/*'],
  ])('%s → %s', (input, pattern) => {
    expect(portalPattern(input)).toBe(pattern);
  });

  test.each([
    '',
    '   ',
    'ftp://files.example.cn',
    'javascript:alert(1)',
    'file:///etc/passwd',
    '<all_urls>*',
    'https://exa mple.cn',
  ])('%j is refused', (input) => {
    expect(portalPattern(input)).toBeUndefined();
  });
});
