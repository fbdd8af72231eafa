/**
 * Change notifications of a 2026-07-28 server for VS Code. 2026 sends list changes and resource updates only on
 * a `subscriptions/listen` stream naming what it wants, and has no `resources/subscribe`: VS Code's
 * subscriptions (a set of URIs shared by its sessions on this server) and the list changes the server declares
 * are kept in one listen, replaced whenever the set changes (the old one is closed once the new one is
 * acknowledged, so nothing is missed in between). Opened when the first VS Code session arrives.
 */
import type { ModernListen, ModernSession, WireRecord } from '../connection/ModernSession';
import type { Disposable } from '../util/Emitter';

export class Subscriptions2026 implements Disposable {
  private readonly uris = new Set<string>();
  private current?: Promise<ModernListen | undefined>;
  /** Replacements run one after another: the last one wins. */
  private chain: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly session: ModernSession,
    private readonly timeoutMs: () => number,
  ) {}

  /** List changes from now on (idempotent). */
  start(): Promise<void> {
    return this.current ? this.chain : this.replace();
  }

  subscribe(uri: string): Promise<void> {
    if (this.uris.has(uri)) return this.start();
    this.uris.add(uri);
    return this.replace();
  }

  unsubscribe(uri: string): Promise<void> {
    if (!this.uris.delete(uri)) return Promise.resolve();
    return this.replace();
  }

  dispose(): void {
    this.disposed = true;
    void this.current?.then((listen) => listen?.close()).catch(() => undefined);
  }

  private filter(): WireRecord | undefined {
    const caps = this.session.serverCapabilities as { tools?: WireRecord; prompts?: WireRecord; resources?: WireRecord };
    const filter: WireRecord = {
      ...(caps.tools?.listChanged === true ? { toolsListChanged: true } : {}),
      ...(caps.prompts?.listChanged === true ? { promptsListChanged: true } : {}),
      ...(caps.resources?.listChanged === true ? { resourcesListChanged: true } : {}),
      ...(this.uris.size > 0 ? { resourceSubscriptions: [...this.uris] } : {}),
    };
    return Object.keys(filter).length > 0 ? filter : undefined;
  }

  private replace(): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.disposed) return;
      const previous = this.current;
      const filter = this.filter();
      const next = filter
        ? // A server that refuses the listen sends no changes: VS Code then sees none, as from a 2025 server without them.
          this.session.listen(filter, { timeoutMs: this.timeoutMs() }).catch(() => undefined)
        : Promise.resolve(undefined);
      this.current = next;
      await next;
      await previous?.then((listen) => listen?.close()).catch(() => undefined);
    });
    return this.chain;
  }
}
