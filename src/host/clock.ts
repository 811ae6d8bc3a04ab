// Moved to src/common (the store uses it too); kept for the host files and tests that import it here.
export { systemClock, type Clock } from '../common/clock';
