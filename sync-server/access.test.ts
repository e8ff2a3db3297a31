import { describe, expect, it } from 'vitest';
import { canWrite, effectiveRole, isDocName, parseGrant } from './access.ts';

describe('document names', () => {
  it.each([
    'workspace',
    'register',
    'queries',
    'user:li',
    'user:王芳',
    'unit:A01',
    'notes:A01',
    'unit:DW01',
    'unit:XS-2023.001',
    'unit:91110000MA01ABCD2X',
  ])('accepts %s', (name) => expect(isDocName(name)).toBe(true));
  it.each([
    '',
    'unit:',
    'units:A',
    'unit:a/b',
    'unit:*',
    'workspace2',
    'notes:a b',
    'register:2019',
    'registers',
    'queries:x',
    'user:',
    'user:a/b',
    'user:li\u200b',
    'user:li\u0000',
  ])('refuses %j', (name) => expect(isDocName(name)).toBe(false));
  // Each of these would be a second document that looks like unit:A01 under a unit:A* grant.
  it.each([
    ['a NUL', 'unit:A01\u0000'],
    ['a zero-width space', 'unit:A0\u200b1'],
    ['a zero-width joiner at the end', 'unit:A01\u200d'],
    ['full-width letters and digits', 'unit:\uff21\uff10\uff11'],
    ['a Cyrillic look-alike', 'unit:\u041001'],
    ['lower case', 'unit:a01'],
    ['a leading dot', 'notes:.A01'],
    ['CJK characters', 'unit:市纪委'],
    ['more than 64 characters', `unit:${'A'.repeat(65)}`],
  ])('refuses a code with %s', (_what, name) => expect(isDocName(name)).toBe(false));
});

describe('grant patterns', () => {
  it('take codes and code prefixes in the same alphabet only', () => {
    expect(parseGrant('editor:unit:A0*')).toEqual({ role: 'editor', doc: 'unit:A0*' });
    expect(() => parseGrant('editor:unit:a0*')).toThrow();
    expect(() => parseGrant('editor:unit:\uff21*')).toThrow();
  });
});

describe('effective role', () => {
  it('is the highest matching grant', () => {
    const grants = [
      { role: 'viewer', doc: '*' },
      { role: 'editor', doc: 'unit:*' },
      { role: 'annotator', doc: 'notes:A01' },
    ] as const;
    expect(effectiveRole([...grants], 'unit:A01')).toBe('editor');
    expect(effectiveRole([...grants], 'notes:A01')).toBe('annotator');
    expect(effectiveRole([...grants], 'notes:B02')).toBe('viewer');
    expect(effectiveRole([...grants], 'workspace')).toBe('viewer');
  });

  it('is null without a matching grant, and a prefix pattern does not match other families', () => {
    expect(effectiveRole([{ role: 'admin', doc: 'unit:*' }], 'notes:A01')).toBeNull();
    expect(effectiveRole([{ role: 'admin', doc: 'unit:A0*' }], 'unit:A01')).toBe('admin');
    expect(effectiveRole([{ role: 'admin', doc: 'unit:A01' }], 'unit:A011')).toBeNull();
    // The register has its own grants: unit and notes patterns never reach it.
    expect(
      effectiveRole(
        [
          { role: 'editor', doc: 'unit:*' },
          { role: 'annotator', doc: 'notes:*' },
        ],
        'register',
      ),
    ).toBeNull();
    expect(effectiveRole([{ role: 'editor', doc: 'register' }], 'register')).toBe('editor');
  });
});

describe('who writes what', () => {
  it.each([
    ['workspace', ['admin']],
    ['unit:A01', ['editor', 'admin']],
    ['notes:A01', ['annotator', 'editor', 'admin']],
    ['register', ['editor', 'admin']],
  ] as const)('%s is written by %j only', (doc, writers) => {
    for (const role of ['viewer', 'annotator', 'editor', 'admin'] as const) {
      expect(canWrite(role, doc)).toBe((writers as readonly string[]).includes(role));
    }
    expect(canWrite(null, doc)).toBe(false);
  });
});

describe('parseGrant', () => {
  it('splits at the first colon', () => {
    expect(parseGrant('viewer:workspace')).toEqual({ role: 'viewer', doc: 'workspace' });
    expect(parseGrant('editor:unit:*')).toEqual({ role: 'editor', doc: 'unit:*' });
  });
  it('refuses unknown roles and patterns', () => {
    expect(() => parseGrant('owner:unit:*')).toThrow();
    expect(() => parseGrant('editor:files:*')).toThrow();
  });
});
