// Moved to src/common (the store may use it too); kept for the host files and tests that import it here.
export { DisposableStore, Emitter, toDisposable, type Disposable, type Event } from '../common/disposable';
