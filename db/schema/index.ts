export * from './org.js';
export * from './ledger.js';
export * from './supervision.js';
export * from './system.js';
export * from './exchange.js';
