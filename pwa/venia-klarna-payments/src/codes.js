export const KLARNA_PREFIX = 'klarna_';
export const isKlarnaCode = code =>
    typeof code === 'string' && code.startsWith(KLARNA_PREFIX);
export const identifierOf = code => code.slice(KLARNA_PREFIX.length);
