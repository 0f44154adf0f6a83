// Moved to src/events/otherListeners.ts, shared with the projection engine (checkpoint NOTIFYs).
// Kept so the store's import need not change while the store is being edited; import from there.
export { OtherListeners } from '../../otherListeners';
