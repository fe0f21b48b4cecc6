export * from './protocol.js';
export * from './panels.js';
export * from './record.js';
export * from './profile.js';
