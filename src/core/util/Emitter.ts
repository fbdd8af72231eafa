/**
 * A minimal typed event emitter with VS Code's `Event<T>` shape (subscribe returns a disposable), so the
 * core stays free of `vscode` while the VS Code layer can adapt it with no translation.
 */
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  fire(e: T): void {
    // Copy first: a listener may unsubscribe while we iterate. One failing listener must not starve the rest.
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        console.error('event listener failed:', err);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
