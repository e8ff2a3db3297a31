export * from './matcher.ts';
export { standsAlone, isHan, containsToken } from './names.ts';
