// The one text of a value that its hash is taken over: recording's chain and seals, publicity's disclosures.
export { canonicalJson } from './lib/canonical-json';
