/**
 * The savepoint each onehop call opens in a transaction the application
 * gave the store (`{ client }`). Calls on one client run one at a time, so one
 * name serves them all; adapters that must open savepoints through their
 * driver's own API (postgres.js) recognise the store's statements by it.
 */
export const CALL_SAVEPOINT = 'onehop_call';
